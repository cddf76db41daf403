"""Every command finds its data the same way from any folder.

The rule itself is tested on folder layouts made here; the commands are run for real, as separate
processes started in other folders, against a data folder of the test's own.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from renaksi import data_location
from renaksi.cli import SEED_FILE

CHECKOUT = Path(__file__).resolve().parents[2]
RENAKSI = [sys.executable, "-m", "renaksi.cli"]


# --- the rule ------------------------------------------------------------------------------------


def _package(root: Path, *parts: str) -> Path:
    package = root.joinpath(*parts, "renaksi")
    package.mkdir(parents=True)
    return package


def test_renaksi_data_dir_wins_and_a_relative_one_is_taken_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    package = _package(tmp_path, "checkout", "src")
    (tmp_path / "checkout" / "pyproject.toml").write_text('[project]\nname = "renaksi"\n')
    assert data_location.data_dir({"RENAKSI_DATA_DIR": "/srv/renaksi"}, package) == Path("/srv/renaksi")
    assert data_location.data_dir({"RENAKSI_DATA_DIR": "mine"}, package) == tmp_path / "mine"


def test_a_checkout_keeps_its_data_in_its_own_data_folder_whatever_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path, "checkout", "src")
    (tmp_path / "checkout" / "pyproject.toml").write_text('[project]\nname = "renaksi"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert data_location.data_dir({}, package) == tmp_path / "checkout" / "data"


def test_an_installed_package_keeps_its_data_in_the_users_data_folder(tmp_path: Path) -> None:
    package = _package(tmp_path, "lib", "python3.11", "site-packages")
    home = tmp_path / "home"
    assert data_location.data_dir({"HOME": str(home)}, package) == home / ".local" / "share" / "renaksi"
    xdg = tmp_path / "xdg"
    assert data_location.data_dir({"HOME": str(home), "XDG_DATA_HOME": str(xdg)}, package) == xdg / "renaksi"


def test_a_src_folder_of_another_project_is_not_a_renaksi_checkout(tmp_path: Path) -> None:
    package = _package(tmp_path, "other", "src")
    (tmp_path / "other" / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    assert data_location.checkout_root(package) is None
    assert data_location.data_dir({"HOME": str(tmp_path)}, package) == tmp_path / ".local/share/renaksi"


def test_this_installation_is_the_checkout_and_keeps_its_data_in_its_data_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RENAKSI_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-c", "from renaksi.data_location import data_dir; print(data_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(result.stdout.strip()) == CHECKOUT / "data"  # what `make run` uses, as before


def test_the_settings_use_the_rule() -> None:
    from renaksi import settings as module

    assert data_location.data_dir() == module.DATA_DIR


def test_the_sqlite_file_of_a_database_url() -> None:
    assert data_location.sqlite_file("sqlite:////srv/r/renaksi.sqlite3") == Path("/srv/r/renaksi.sqlite3")
    assert data_location.sqlite_file("postgres://u:p@127.0.0.1:5432/renaksi") is None
    assert data_location.sqlite_file("sqlite://:memory:") is None


# --- the commands, run for real from other folders -------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def renaksi(data: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    cwd.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["RENAKSI_DATA_DIR"] = str(data)
    return subprocess.run(
        [*RENAKSI, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "kpu-prov-gorontalo/2023"],
        ["export", "kpu-prov-gorontalo/2023"],
        ["export", "kpu-prov-gorontalo/2023", "--format", "xlsx", "-o", "plan.xlsx"],
        ["export-rollup", "kpu-prov-gorontalo", "--year", "2023"],
    ],
)
def test_a_read_command_without_a_database_names_it_and_creates_nothing(
    tmp_path: Path, data: Path, argv: list[str]
) -> None:
    here = tmp_path / "somewhere"
    result = renaksi(data, here, *argv)
    assert result.returncode == 2
    assert f"basis data tidak ditemukan: {data / 'renaksi.sqlite3'}" in result.stderr
    assert result.stdout == ""
    assert not data.exists()  # not even the data folder
    assert list(here.iterdir()) == []


def test_a_read_command_refuses_an_empty_database_file_and_leaves_it_empty(
    tmp_path: Path, data: Path
) -> None:
    data.mkdir()
    (data / "renaksi.sqlite3").touch()
    result = renaksi(data, tmp_path / "somewhere", "check", "kpu-prov-gorontalo/2023")
    assert result.returncode == 2
    assert f"basis data {data / 'renaksi.sqlite3'} kosong" in result.stderr
    assert (data / "renaksi.sqlite3").stat().st_size == 0


def test_demo_names_the_database_it_creates_and_every_command_finds_it_from_any_folder(
    tmp_path: Path, data: Path
) -> None:
    database = data / "renaksi.sqlite3"
    first = renaksi(data, tmp_path / "a", "demo", "--quiet")
    assert first.returncode == 0, first.stderr
    assert f"Basis data baru dibuat: {database}" in first.stderr
    assert "Rencana contoh dimuat" in first.stdout

    again = renaksi(data, tmp_path / "b" / "deeper", "demo", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "Basis data baru dibuat" not in again.stderr
    assert "tidak diubah" in again.stdout

    checked = renaksi(data, tmp_path / "c", "check", "kpu-prov-gorontalo/2023")
    assert checked.returncode == 0, checked.stderr
    assert "0 galat" in checked.stdout
    exported = renaksi(data, tmp_path / "d", "export", "kpu-prov-gorontalo/2023")
    assert exported.returncode == 0 and '"year": 2023' in exported.stdout
    for folder in "abcd":  # no command made a data folder where it ran
        assert not any(p.name == "data" for p in (tmp_path / folder).rglob("*"))


def test_a_second_demo_run_leaves_the_database_file_byte_for_byte(tmp_path: Path, data: Path) -> None:
    assert renaksi(data, tmp_path, "demo", "--quiet").returncode == 0
    database = data / "renaksi.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    assert renaksi(data, tmp_path, "demo", "--quiet").returncode == 0
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_a_lookup_that_finds_nothing_names_the_database_it_read(tmp_path: Path, data: Path) -> None:
    assert renaksi(data, tmp_path, "demo", "--quiet").returncode == 0
    result = renaksi(data, tmp_path / "other", "check", "kpu-prov-gorontalo/2019")
    assert result.returncode == 2
    assert "no plan for 2019" in result.stderr and str(data / "renaksi.sqlite3") in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["import", str(SEED_FILE), "--agency", "kpu-prov-gorontalo", "--year", "2023"],
        ["create-admin", "kepala.it"],
    ],
)
def test_a_command_that_writes_names_the_database_it_creates(
    tmp_path: Path, data: Path, argv: list[str]
) -> None:
    result = renaksi(data, tmp_path / "elsewhere", *argv)
    assert result.returncode == 0, result.stderr
    assert f"Basis data baru dibuat: {data / 'renaksi.sqlite3'}" in result.stderr
    assert "Basis data baru dibuat" not in renaksi(data, tmp_path, *argv).stderr  # made once only


def test_serve_names_the_database_it_creates_before_it_serves(tmp_path: Path, data: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["RENAKSI_DATA_DIR"] = str(data)
    server = subprocess.Popen(
        [*RENAKSI, "serve", "--port", "0", "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: gunicorn, its child, is stopped with it
    )
    try:
        assert server.stderr is not None
        lines = []
        for line in server.stderr:
            lines.append(line)
            if line.startswith("Renaksi: http://"):
                break
        assert f"Basis data baru dibuat: {data / 'renaksi.sqlite3'}\n" in lines, lines
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
