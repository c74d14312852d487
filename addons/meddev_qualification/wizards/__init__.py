from . import meddev_watchlist_import
from . import meddev_decision_reason_wizard
