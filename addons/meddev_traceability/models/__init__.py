from . import meddev_lot_link
