"""The files sptui writes (the --log file, crash reports): private (0600), never through a symlink.

Both can hold cluster names, error texts and tracebacks; on a shared management node they are nobody else's
business, and a symlink planted at a predictable path must not make sptui append to a file of the attacker's
choosing.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600


class PrivateFileError(OSError):
    """A private file cannot be opened; the message is one line that names the file."""


def open_private(path: str | os.PathLike[str], *, exclusive: bool = False) -> TextIO:
    """Open `path` for appending, created 0600; refuse a symlink or anything but a regular file.

    An existing file readable by others is made private: it is about to receive what sptui logs.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_EXCL if exclusive else 0)
    try:
        fd = os.open(path, flags, PRIVATE)
    except OSError as error:
        raise PrivateFileError(f"cannot write {os.fspath(path)}: {_reason(error)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise PrivateFileError(f"cannot write {os.fspath(path)}: not a regular file")
        if mode & 0o077:
            os.fchmod(fd, PRIVATE)
        return os.fdopen(fd, "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link (sptui does not follow one)"
    return error.strerror or str(error)


def state_dir() -> Path:
    """sptui's directory under the XDG state directory ($XDG_STATE_HOME, or ~/.local/state), made 0700."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    directory = Path(base) / "sptui"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def write_crash_report(text: str) -> Path:
    """Write a crash report to a new private file under the state directory and return its path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = state_dir() / f"crash-{stamp}-{os.getpid()}.txt"
    with open_private(path, exclusive=True) as report:
        report.write(text)
    return path
