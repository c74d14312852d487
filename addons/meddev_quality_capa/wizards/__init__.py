from . import meddev_quality_dashboard
from . import meddev_complaint_import
