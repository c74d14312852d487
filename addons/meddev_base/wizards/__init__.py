from . import meddev_esignature_wizard
