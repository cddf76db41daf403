"""Fuzzing with bytes in: every reader (``read_source`` on a file of each extension) and the money,
target and budget-code parsers. Any exception but the documented error of each fails.

The quick tests run a few hundred examples in every CI run; the ``reliability`` ones thousands,
also of damaged workbooks (a valid XLSX, XLS or ODS with random bytes changed or cut).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import base_rows, ods_bytes, tsv, xls_bytes, xlsx_bytes
from figures import Figure, record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.grid import SourceError
from renaksi.core.money import MoneyError, parse_rupiah
from renaksi.core.targets import TargetError, parse_target
from renaksi.imports.readers import read_source

EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".json")
MAGIC = (
    b"",
    b"PK\x03\x04",
    bytes.fromhex("d0cf11e0a1b11ae1"),
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b'{"format": "renaksi-plan"',
)
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FOLDER = Path(tempfile.mkdtemp(prefix="renaksi-fuzz-"))
_BASES: dict[str, bytes] = {}


def read_bytes(data: bytes, extension: str) -> None:
    """``read_source`` on ``data`` written to a file named with ``extension``: a grid or a SourceError."""
    path = _FOLDER / f"fuzz{extension}"
    path.write_bytes(data)
    with contextlib.suppress(SourceError):
        read_source(path)


def base(kind: str) -> bytes:
    if kind not in _BASES:
        make: dict[str, Callable[[], bytes]] = {
            "xlsx": xlsx_bytes,
            "xls": xls_bytes,
            "ods": ods_bytes,
            "tsv": lambda: tsv(base_rows()),
        }
        _BASES[kind] = make[kind]()
    return _BASES[kind]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[bytes, str]:
    """A valid workbook or text with some bytes changed and maybe cut short."""
    kind = draw(st.sampled_from(("xlsx", "xls", "ods", "tsv")))
    data = bytearray(base(kind))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    return bytes(data), "." + kind


def _fuzzed(area: str, examples: int, run: Callable[[], None]) -> None:
    """Run a hypothesis test and record its figure (0 or 1 failing input) for the report."""
    try:
        run()
    except BaseException as error:
        # Hypothesis reports several distinct failures as one group: each is a figure's worth.
        found = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
        detail = "\n".join(f"{type(e).__name__}: {e}"[:400] for e in found)
        record(area, [Figure("distinct undocumented exceptions found", len(found), "== 0", detail)])
        raise
    record(
        area, [Figure("distinct undocumented exceptions found", 0, "== 0", f"{examples} examples per test")]
    )


# -- parsers --------------------------------------------------------------------------------------

texts = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("utf-8", "replace")),
    st.from_regex(r"[Rp\. ,0-9\-%()a-z]{0,30}"),
)


@QUICK
@given(texts)
def test_the_money_parser_answers_an_amount_none_or_a_money_error(text: str) -> None:
    try:
        amount = parse_rupiah(text)
    except MoneyError:
        return
    assert amount is None or isinstance(amount, int)


@QUICK
@given(texts)
def test_the_target_parser_answers_a_target_or_a_target_error(text: str) -> None:
    with contextlib.suppress(TargetError):
        parse_target(text)


@QUICK
@given(texts)
def test_the_budget_code_parser_answers_a_code_or_a_budget_code_error(text: str) -> None:
    with contextlib.suppress(BudgetCodeError):
        parse_budget_code(text)


# -- readers ----------------------------------------------------------------------------------------


@QUICK
@given(st.sampled_from(MAGIC), st.binary(max_size=4096), st.sampled_from(EXTENSIONS))
def test_every_reader_answers_random_bytes_with_a_grid_or_a_source_error(
    magic: bytes, data: bytes, extension: str
) -> None:
    read_bytes(magic + data, extension)


# -- long -------------------------------------------------------------------------------------------


PARSERS = {
    "money": (parse_rupiah, MoneyError),
    "target": (parse_target, TargetError),
    "budget code": (parse_budget_code, BudgetCodeError),
}


@pytest.mark.reliability
@pytest.mark.parametrize("name", PARSERS)
def test_each_parser_survives_thousands_of_inputs(name: str) -> None:
    parse, error = PARSERS[name]

    @LONG
    @given(texts)
    def check(text: str) -> None:
        with contextlib.suppress(error):
            parse(text)

    _fuzzed(f"fuzzing: {name} parser", LONG.max_examples, check)


@pytest.mark.reliability
def test_every_reader_survives_thousands_of_random_files() -> None:
    @LONG
    @given(st.sampled_from(MAGIC), st.binary(max_size=65536), st.sampled_from(EXTENSIONS))
    def check(magic: bytes, data: bytes, extension: str) -> None:
        read_bytes(magic + data, extension)

    _fuzzed("fuzzing: readers, random bytes", LONG.max_examples, check)


@pytest.mark.reliability
def test_every_reader_survives_damaged_workbooks() -> None:
    @LONG
    @given(damaged())
    def check(case: tuple[bytes, str]) -> None:
        read_bytes(*case)

    _fuzzed("fuzzing: readers, damaged workbooks", LONG.max_examples, check)
