"""Limits on the files a customer attaches to a complaint from the portal.

Photos of the device, its log, a scanned document: a few files of common
types and reasonable size. Anything else (an executable, a huge video) is
refused with the reason, before anything is stored. Standard library
only, no ORM.
"""
import os

__all__ = ['ALLOWED_EXTENSIONS', 'MAX_FILES', 'MAX_FILE_BYTES',
           'upload_problem']

ALLOWED_EXTENSIONS = (
    '.jpg', '.jpeg', '.png', '.gif', '.bmp', '.heic', '.pdf', '.txt',
    '.log', '.csv', '.doc', '.docx', '.xls', '.xlsx', '.zip')
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024


def upload_problem(filename, size, position):
    """Return why the ``position``-th file (from 1) named ``filename`` of
    ``size`` bytes is refused: 'count', 'empty', 'size', 'type'; or None
    when it is accepted."""
    if position > MAX_FILES:
        return 'count'
    if not size:
        return 'empty'
    if size > MAX_FILE_BYTES:
        return 'size'
    extension = os.path.splitext(filename or '')[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        return 'type'
    return None
