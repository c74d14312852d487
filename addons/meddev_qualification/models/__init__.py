from . import meddev_device_category
