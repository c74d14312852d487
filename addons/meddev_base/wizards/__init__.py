from . import meddev_esignature_wizard
from . import meddev_wizard_mixin
from . import meddev_import_wizard
