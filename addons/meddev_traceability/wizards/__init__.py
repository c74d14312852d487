from . import meddev_trace
from . import meddev_udi_scan
from . import meddev_lot_link_retire
from . import meddev_gtin_import
