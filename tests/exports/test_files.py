"""atomic_path: a file appears complete or not at all, with the mode of an ordinary new file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from renaksi.exports.files import atomic_path


def test_the_file_appears_complete_with_the_mode_the_umask_gives(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    previous = os.umask(0o027)
    try:
        with atomic_path(target) as temporary:
            assert temporary.parent == tmp_path and not target.exists()
            temporary.write_text("isi")
    finally:
        os.umask(previous)
    assert target.read_text() == "isi"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.csv"]


def test_a_failure_leaves_the_previous_file_and_no_placeholder(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("lama")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("setengah")
        raise RuntimeError("disk penuh")
    assert target.read_text() == "lama"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.csv"]
