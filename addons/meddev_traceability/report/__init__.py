from . import recall_lines_xlsx
