from . import test_access_matrix_file
from . import test_access_matrix
from . import test_approvals
from . import test_multi_company
from . import test_gates_company
from . import test_wizard_buttons
from . import test_personal_data
from . import test_cron_licence_expiry
