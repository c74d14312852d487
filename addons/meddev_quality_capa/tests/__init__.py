from . import test_deadline
from . import test_meddev_reporting_rule
from . import test_complaint_clock
from . import test_capa
from . import test_change_record
from . import test_ticket_to_recall
from . import test_reporting
from . import test_security
