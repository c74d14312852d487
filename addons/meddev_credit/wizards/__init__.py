from . import meddev_credit_override_request
from . import meddev_credit_hold_wizard
