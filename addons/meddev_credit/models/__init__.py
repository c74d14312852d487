from . import meddev_credit_rating_history
