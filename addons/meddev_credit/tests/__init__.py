from . import test_security
from . import test_meddev_credit_rating_history
