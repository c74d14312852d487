from . import meddev_quality_dashboard
