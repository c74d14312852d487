from . import test_security
from . import test_meddev_device_category
from . import test_uscc
from . import test_licence_text
