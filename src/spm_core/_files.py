"""Writing output files safely: whole or not at all, never through a planted link.

Every file the library or the ``spm`` command writes (an export of residents, a data
subject's file, an error file quoting NIKs, a report) goes through :func:`write_file`:

* the bytes go to a new file with a random name beside the target, created exclusively
  (``O_EXCL``), so a symbolic link planted under a predictable temporary name cannot
  redirect the write to another file;
* the new file then replaces the target in one step (``os.replace``): a reader sees the
  old file or the new one, never half of it, and a link standing at the target is
  replaced, not followed;
* a file holding personal data is readable by its owner only (mode ``0600``, UU PDP
  27/2022 Ps. 16(2): secured against unauthorised access); any other file gets the
  usual mode the user's umask allows.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

__all__ = ["write_file"]


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _create(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    """Create a new file with a random name in ``folder``; the umask applies to ``mode``."""
    for _ in range(100):
        candidate = folder / f".{name}.{secrets.token_hex(8)}.tmp"
        try:
            return os.open(candidate, _FLAGS, mode), candidate
        except FileExistsError:
            continue
    raise FileExistsError(17, "No free temporary name", str(folder))


def write_file(path: str | Path, data: bytes, *, private: bool) -> Path:
    r"""Write ``data`` to ``path`` atomically; with ``private``, readable by the owner only.

    Returns:
        The path written.

    Raises:
        OSError: the directory does not exist or cannot be written, or ``path`` is a
            directory; nothing was written then.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> target = write_file(folder / "ekspor.csv", b"nik\n", private=True)
        >>> oct(target.stat().st_mode & 0o777), target.read_bytes()
        ('0o600', b'nik\n')
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(target))
    handle, temporary = _create(target.parent, target.name, 0o600 if private else 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
