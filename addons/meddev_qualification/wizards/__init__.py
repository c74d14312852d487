from . import meddev_watchlist_import
from . import meddev_decision_reason_wizard
from . import meddev_licence_import
