from . import test_security
from . import test_meddev_reporting_rule
