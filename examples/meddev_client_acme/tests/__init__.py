from . import test_acme_configuration
