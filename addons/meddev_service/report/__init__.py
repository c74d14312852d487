from . import meddev_service_component_failure
from . import meddev_service_fault_analysis
