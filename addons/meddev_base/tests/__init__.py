from . import test_esignature
from . import test_regulated_mixin
from . import test_tools
from . import test_xlsx_sheet
from . import test_mail_gateway
