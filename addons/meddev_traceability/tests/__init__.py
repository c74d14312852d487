from . import test_security
from . import test_meddev_lot_link
from . import test_udi
