from . import meddev_credit_override_request
