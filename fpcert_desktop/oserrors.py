"""Short, translated descriptions of the operating system errors users meet when saving files.

``OSError.strerror`` is the C library's English text ("Read-only file system"), which would
otherwise appear in the middle of a Chinese message. The description is chosen by errno.
"""

from __future__ import annotations

import errno

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate

_PERMISSION_DENIED = QT_TRANSLATE_NOOP("OsError", "permission denied")
_DESCRIPTIONS: dict[int, MessageTemplate] = {
    errno.EACCES: _PERMISSION_DENIED,
    errno.EPERM: _PERMISSION_DENIED,
    errno.EROFS: QT_TRANSLATE_NOOP("OsError", "the file system is read-only"),
    errno.EISDIR: QT_TRANSLATE_NOOP("OsError", "the name is a folder, not a file"),
    errno.ENOENT: QT_TRANSLATE_NOOP("OsError", "the file or folder does not exist"),
    errno.ENOSPC: QT_TRANSLATE_NOOP("OsError", "the disk is full"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("OsError", "a part of the path is not a folder"),
}


def describe_os_error(error: OSError) -> MessageTemplate | str:
    """Return a translatable description of ``error`` for the common errnos.

    Any other errno gets the system's own text (``strerror``), untranslated. Pass the
    result as a message parameter, or call ``str()`` on it to render it in the installed
    language.
    """
    description = _DESCRIPTIONS.get(error.errno) if error.errno is not None else None
    if description is not None:
        return description
    return error.strerror or str(error)
