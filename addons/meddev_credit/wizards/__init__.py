from . import meddev_credit_override_request
from . import meddev_credit_hold_wizard
from . import meddev_credit_limit_import
