from . import meddev_service_dispatch
from . import meddev_service_satisfaction
from . import meddev_service_equipment_import
from . import meddev_service_van_stock_import
from . import meddev_service_cancellation
