from . import meddev_watchlist_import
