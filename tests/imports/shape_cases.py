"""One layout per value of each dimension of :class:`Shape`, the rest left at the default.

The default is the printed form as a merged-cell workbook (months shaded, amounts as Rupiah
numbers, a three-line title); a value a workbook cannot hold is tried in tab-separated text with
``v`` marks and ``Rp 8.378.000`` amounts. ``KNOWN_FAILURES`` says what goes wrong today, as observed
against the recognizer and readers of issue 9's start; a fix turns its strict xfail into a pass.
"""

from __future__ import annotations

from renaksi.imports.shapes import LEADING_ORDERS, LEVELS, Shape


def _mixes() -> list[tuple[tuple[str, ...], int]]:
    """For each way of repeating some levels and merging the others, a mixed_seed that draws it."""
    found: dict[frozenset[str], int] = {}
    seed = 0
    while len(found) < 2 ** len(LEVELS) - 2:
        found.setdefault(Shape(structure="mixed", mixed_seed=seed).repeated_levels, seed)
        seed += 1
    return sorted(
        ((tuple(level for level in LEVELS if level in levels), seed) for levels, seed in found.items()),
        key=lambda mix: (len(mix[0]), [LEVELS.index(level) for level in mix[0]]),
    )


MIXES = _mixes()
TEXT = {"format": "tsv", "months": "v", "amounts": "id"}

# id -> the layout's fields (besides the default)
CASES: dict[str, dict[str, object]] = {
    # The default layout holds the default value of every dimension.
    "default:xlsx,merged,no_page_headers,printed_order,two_header_rows,shaded,numbers,three_title_lines,no_totals": {},
    "format=tsv": TEXT,  # also amounts=id in text
    "format=csv;cp1252": {**TEXT, "format": "csv", "delimiter": ";", "encoding": "cp1252", "months": "x"},
    "format=csv,utf-8": {**TEXT, "format": "csv", "delimiter": ",", "encoding": "utf-8"},
    "format=csv,cp1252": {**TEXT, "format": "csv", "delimiter": ",", "encoding": "cp1252"},
    "format=csv;utf-8": {**TEXT, "format": "csv", "delimiter": ";", "encoding": "utf-8"},
    "format=xls": {"format": "xls", "months": "v"},
    "format=ods": {"format": "ods", "months": "v"},
    "format=xls,repeated": {"format": "xls", "months": "x", "structure": "repeated"},
    "format=ods,repeated": {"format": "ods", "months": "x", "structure": "repeated"},
    "format=xls,unit=ribu": {"format": "xls", "months": "1", "unit": "ribu"},
    "format=xls,accounting_zero": {"format": "xls", "months": "1", "accounting_zero": True},
    "format=ods,unit=juta,seed": {"format": "ods", "months": "\u2713", "unit": "juta", "amounts": "seed"},
    "structure=repeated": {"structure": "repeated"},
    **{
        f"structure=mixed:{'+'.join(levels)}_repeated": {"structure": "mixed", "mixed_seed": seed}
        for levels, seed in MIXES
    },
    "structure=repeated,tsv": {**TEXT, "structure": "repeated"},
    **{
        f"structure=mixed:{'+'.join(levels)}_repeated,tsv": {**TEXT, "structure": "mixed", "mixed_seed": seed}
        for levels, seed in MIXES
    },
    "page_headers=every_N_rows": {"page_rows": 3},  # N drawn in the tests
    "page_headers=every_N_rows,tsv": {**TEXT, "page_rows": 3},
    "page_headers=every_N_rows,continued,tsv": {**TEXT, "page_rows": 3, "page_break_text": "continued"},
    "page_headers=every_N_rows,continued,repeated,tsv": {
        **TEXT,
        "page_rows": 3,
        "page_break_text": "continued",
        "structure": "repeated",
    },
    "column_order=target_after_activity": {"leading": LEADING_ORDERS[1]},
    "column_order=trailing_swapped": {"tail": ("months", "code", "cost", "remarks", "pic")},
    "column_order=remarks_first": {"tail": ("months", "remarks", "cost", "code", "pic")},
    "column_order=months_after_cost": {"tail": ("cost", "months", "code", "remarks", "pic")},
    "column_order=months_last": {"tail": ("cost", "code", "remarks", "pic", "months")},
    "column_order=trailing_swapped,tsv": {**TEXT, "tail": ("months", "code", "cost", "remarks", "pic")},
    "header_rows=two,month_names": {"header_rows": 2, "month_labels": "names"},
    "header_rows=one,month_numbers": {"header_rows": 1, "month_labels": "numbers"},
    "header_rows=one,month_names": {"header_rows": 1, "month_labels": "names"},
    "header_rows=one,month_names,tsv": {**TEXT, "header_rows": 1, "month_labels": "names"},
    "months=v": {"months": "v"},
    "months=x": {"months": "x"},
    "months=\u2713": {"months": "\u2713"},
    "months=1": {"months": "1"},
    "months=named": {"months": "named"},
    "months=1,tsv": {**TEXT, "months": "1"},
    "months=named,tsv": {**TEXT, "months": "named"},
    "amounts=id,xlsx_text": {"amounts": "id"},
    "amounts=seed,xlsx": {"amounts": "seed"},
    "amounts=en,tsv": {**TEXT, "amounts": "en"},
    "amounts=seed,tsv": {**TEXT, "amounts": "seed"},
    "amounts=accounting_zero": {"accounting_zero": True},
    "unit=juta": {"unit": "juta"},
    "unit=ribu": {"unit": "ribu"},
    "unit=ribuan": {"unit": "ribuan"},
    "unit=juta,en,tsv": {**TEXT, "amounts": "en", "unit": "juta"},
    "unit=ribu,id,tsv": {**TEXT, "unit": "ribu"},
    "title=one_cell": {"title": "one_cell"},
    "title=none": {"title": "none"},
    "labels=variants": {"labels": "variants"},
    "labels=variants,tsv": {**TEXT, "labels": "variants"},
    "labels=variants,unit=juta": {"labels": "variants", "unit": "juta"},
    "blank_rows": {"blank_rows": True},
    "blank_rows,tsv": {**TEXT, "blank_rows": True},
    "totals=jumlah_and_total": {"totals": True},
    "totals=jumlah_and_total,tsv": {**TEXT, "totals": True},
}

# id -> what goes wrong today (none since the .xls accounting zero was read from the BIFF records):
# a fix turns a layout's strict xfail green, and its entry must then go.
KNOWN_FAILURES: dict[str, str] = {}
# The same for the seed (read from its text), where it differs from the generated plans.
KNOWN_SEED_FAILURES: dict[str, str] = {}


def case_shape(case: str, **changes: object) -> Shape:
    return Shape(**{**CASES[case], **changes})  # type: ignore[arg-type]
