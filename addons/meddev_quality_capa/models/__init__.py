from . import meddev_reporting_rule
