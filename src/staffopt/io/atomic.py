"""Atomic writes: an output is written whole or not at all.

:func:`atomic_file` yields a temporary path next to the target and renames it
into place when the ``with`` block ends without an error. :func:`atomic_dir`
yields a temporary folder next to the target; on success every file in it is
moved into the target folder (created if missing, other files in it left alone).
On any error the temporary file or folder is removed and the target is untouched;
an operating-system error (no permission, a file where a folder should be,
a full disk) becomes an :class:`~staffopt.errors.OutputError` naming the path.
:func:`output_problem` says before any work whether a path can be written.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from staffopt.errors import OutputError
from staffopt.texts import Phrase

__all__ = ["atomic_dir", "atomic_file", "output_problem"]


def output_problem(path: str | os.PathLike[str], *, folder: bool) -> Phrase | None:
    """What stops writing ``path`` (a folder if ``folder``, else a file), or None.

    Checked before a long solve so that a typo in an output path costs nothing:
    the parent folder must exist and be writable; the target itself, if it
    exists, must be of the right kind (and a folder writable).
    """
    target = Path(path)
    parent = target.parent
    if not parent.exists():
        return Phrase("output.no_parent", target=target, parent=parent)
    if not parent.is_dir():
        return Phrase("output.parent_is_file", target=target, parent=parent)
    if not os.access(parent, os.W_OK | os.X_OK):
        return Phrase("output.parent_read_only", target=target, parent=parent)
    if folder and target.exists():
        if not target.is_dir():
            return Phrase("output.plan_folder_is_file", target=target)
        if not os.access(target, os.W_OK | os.X_OK):
            return Phrase("output.folder_read_only", target=target)
    if not folder and target.is_dir():
        return Phrase("output.file_is_folder", target=target)
    if not folder and target.exists() and not os.access(target, os.W_OK):
        return Phrase("output.file_read_only", target=target)
    return None


@contextmanager
def _as_output_error(target: Path) -> Iterator[None]:
    """Operating-system errors while writing ``target`` become an OutputError naming it."""
    try:
        yield
    except OSError as exc:
        what = exc.strerror or type(exc).__name__
        raise OutputError(Phrase("output.os_error", target=target, reason=what)) from exc


def _temp_name(path: Path) -> Path:
    # Keep the suffix: some writers (openpyxl) look at it.
    return path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")


def _fsync_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` atomically.

    The temporary file is created empty (with the usual permissions) in the
    target's folder, so the final rename never crosses file systems. If the
    block raises, the temporary file is deleted and ``path`` is left as it was.
    """
    target = Path(path)
    with _as_output_error(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = _temp_name(target)
            try:
                fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
            except FileExistsError:  # pragma: no cover - 32 random bits collided
                continue
            os.close(fd)
            break
    try:
        yield tmp
        with _as_output_error(target):
            _fsync_file(tmp)
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _move_tree(src: Path, dst: Path) -> None:
    """Move every file under ``src`` into ``dst``, replacing files of the same name."""
    dst.mkdir(parents=True, exist_ok=True)
    for entry in sorted(src.iterdir()):
        target = dst / entry.name
        if entry.is_dir() and not entry.is_symlink():
            if target.is_dir() and not target.is_symlink():
                _move_tree(entry, target)
                continue
            if target.exists() or target.is_symlink():
                if target.is_dir() and not target.is_symlink():  # pragma: no cover
                    shutil.rmtree(target)
                else:
                    target.unlink()
        if entry.is_file():
            _fsync_file(entry)
        os.replace(entry, target)


@contextmanager
def atomic_dir(path: str | os.PathLike[str], *, stale: Iterable[str] = ()) -> Iterator[Path]:
    """Yield a temporary folder; on success its files are moved into ``path``.

    If ``path`` does not exist the temporary folder is renamed to it (one
    atomic step). If it exists, each written file replaces its namesake with an
    atomic rename; files we did not write stay, except the names listed in
    ``stale`` (relative to ``path``) that were not written this time, which are
    removed (e.g. an optional table that is now empty). If the block raises,
    the temporary folder is removed and ``path`` is untouched.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(Phrase("output.folder_is_file", target=target))
    with _as_output_error(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                os.mkdir(tmp, 0o777)
            except FileExistsError:  # pragma: no cover
                continue
            break
    try:
        yield tmp
        written = {p.relative_to(tmp).as_posix() for p in tmp.rglob("*")}
        with _as_output_error(target):
            if not target.exists():
                os.rename(tmp, target)
                return
            _move_tree(tmp, target)
            for name in stale:
                if Path(name).as_posix() not in written:
                    old = target / name
                    if old.is_file() or old.is_symlink():
                        old.unlink()
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
