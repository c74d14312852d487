from . import meddev_service_component_failure
