from . import portal
from . import complaint_portal
