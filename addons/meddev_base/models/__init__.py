from . import meddev_regulated_mixin
from . import meddev_guarded_mixin
from . import meddev_esignature
from . import mail_message
from . import mail_thread
from . import mail_alias
from . import res_company
