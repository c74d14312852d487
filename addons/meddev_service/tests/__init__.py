from . import test_security
from . import test_meddev_service_stage
