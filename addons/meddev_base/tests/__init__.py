from . import test_esignature
from . import test_regulated_mixin
from . import test_tools
from . import test_xlsx_sheet
from . import test_mail_gateway
from . import test_alias_guard
from . import test_workflow_context
from . import test_esignature_access
