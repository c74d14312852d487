from . import meddev_complaint_rate
