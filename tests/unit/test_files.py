"""sptui/files.py: the files sptui writes are private (0600), never reached through a symlink, and say why not."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sptui.files import PrivateFileError, open_private, state_dir, write_crash_report


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_new_file_is_created_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with open_private(tmp_path / "new.log") as handle:
            handle.write("one\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.log") == 0o600
    assert (tmp_path / "new.log").read_text() == "one\n"


def test_an_existing_file_is_appended_to_and_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.log"
    path.write_text("before\n")
    path.chmod(0o644)
    with open_private(path) as handle:
        handle.write("after\n")
    assert mode(path) == 0o600
    assert path.read_text() == "before\nafter\n"


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("precious\n")
    target.chmod(0o644)
    link = tmp_path / "sptui.log"
    link.symlink_to(target)
    with pytest.raises(PrivateFileError) as refused:
        open_private(link)
    assert str(refused.value) == f"cannot write {link}: it is a symbolic link (sptui does not follow one)"
    assert target.read_text() == "precious\n"
    assert mode(target) == 0o644


def test_a_dangling_symlink_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    link = tmp_path / "sptui.log"
    link.symlink_to(tmp_path / "planted")
    with pytest.raises(PrivateFileError, match="symbolic link"):
        open_private(link)
    assert not (tmp_path / "planted").exists()


def test_something_other_than_a_regular_file_is_refused() -> None:
    with pytest.raises(PrivateFileError) as refused:
        open_private("/dev/null")
    assert str(refused.value) == "cannot write /dev/null: not a regular file"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # and it was left alone


@pytest.mark.parametrize("where", ["missing-dir/sptui.log", "."])
def test_an_unopenable_path_is_one_line_naming_it(tmp_path: Path, where: str) -> None:
    path = tmp_path / where
    with pytest.raises(PrivateFileError) as refused:
        open_private(path)
    message = str(refused.value)
    assert message.startswith(f"cannot write {path}: ")
    assert "\n" not in message


def test_exclusive_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "crash.txt"
    path.write_text("someone else's\n")
    with pytest.raises(PrivateFileError, match="exists"):
        open_private(path, exclusive=True)
    assert path.read_text() == "someone else's\n"


def test_state_dir_follows_xdg_state_home_and_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    directory = state_dir()
    assert directory == tmp_path / "state" / "sptui"
    assert mode(directory) == 0o700


def test_state_dir_defaults_to_local_state_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert state_dir() == tmp_path / ".local" / "state" / "sptui"


def test_a_crash_report_is_a_new_private_file_in_the_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = write_crash_report("Traceback: boom\n")
    assert path.parent == tmp_path / "sptui"
    assert path.name.startswith("crash-") and path.name.endswith(f"-{os.getpid()}.txt")
    assert path.read_text() == "Traceback: boom\n"
    assert mode(path) == 0o600
