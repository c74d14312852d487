from . import test_security
from . import test_meddev_lot_link
from . import test_udi
from . import test_udi_odoo
from . import test_genealogy
from . import test_trace
from . import test_recall
from . import test_lot_tree
