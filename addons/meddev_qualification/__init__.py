from . import models
from . import wizards
from .hooks import uninstall_hook  # noqa: F401
