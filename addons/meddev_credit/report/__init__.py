from . import meddev_credit_exposure_report
