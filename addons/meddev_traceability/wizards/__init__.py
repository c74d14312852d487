from . import meddev_trace
from . import meddev_udi_scan
