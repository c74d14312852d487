from . import meddev_service_dispatch
