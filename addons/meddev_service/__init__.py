from . import models
from . import wizards
from . import report
from . import controllers
from .hooks import uninstall_hook  # noqa: F401
