from . import licence_import_template
