from . import meddev_service_dispatch
from . import meddev_service_satisfaction
