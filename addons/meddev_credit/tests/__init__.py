from . import test_security
from . import test_meddev_credit_rating_history
from . import test_credit_score
from . import test_exposure
from . import test_gate
from . import test_override
from . import test_concurrency
from . import test_rating
