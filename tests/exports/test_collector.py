"""collector_paused: the cyclic collector is off during an export and back as it was afterwards."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import TableRow, table_rows
from renaksi.exports import xlsx, xlsx_sheet
from renaksi.exports.collector import collector_paused
from renaksi.exports.meta import ExportMeta
from renaksi.exports.xlsx import write_rollup_xlsx
from renaksi.imports.sample import random_plan


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error_in_the_block() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("gagal")
    assert gc.isenabled()


def test_nested_pauses_enable_the_collector_only_when_the_outermost_ends() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads_enable_the_collector_when_the_last_ends() -> None:
    gc.enable()
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            first_in.set()
            first_may_leave.wait(5)
        seen["after first"] = gc.isenabled()
        second_in.set()

    thread = threading.Thread(target=first)
    with collector_paused():
        thread.start()
        assert first_in.wait(5)
        first_may_leave.set()
        assert second_in.wait(5)
        thread.join(5)
        assert not seen["after first"]  # this thread's pause still holds it off
    assert gc.isenabled()


def test_an_export_pauses_the_collector_while_it_writes_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gc.enable()
    seen: list[bool] = []

    def watched_table_rows(tree: PlanTree) -> list[TableRow]:
        seen.append(gc.isenabled())
        return table_rows(tree)

    monkeypatch.setattr(xlsx_sheet, "table_rows", watched_table_rows)  # where the sheet reads it
    plans = [(ExportMeta(f"KPU Kabupaten {n}"), random_plan(n, 5)) for n in range(2)]
    write_rollup_xlsx(plans, tmp_path / "rekap.xlsx")
    xlsx.write_plan_xlsx(plans[0][1], tmp_path / "rencana.xlsx", plans[0][0])
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_an_export_leaves_no_cycles_for_the_collector_to_free(tmp_path: Path) -> None:
    plans = [(ExportMeta(f"KPU Kabupaten {n}"), random_plan(n, 20)) for n in range(3)]
    write_rollup_xlsx(plans, tmp_path / "pemanasan.xlsx")  # first use: caches and imports settle
    gc.collect()
    gc.disable()
    write_rollup_xlsx(plans, tmp_path / "rekap.xlsx")
    assert gc.collect() == 0
