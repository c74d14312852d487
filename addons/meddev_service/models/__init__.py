from . import meddev_service_stage
