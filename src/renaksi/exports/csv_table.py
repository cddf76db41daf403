"""The plan as CSV for a spreadsheet set to Indonesian, and for importing again.

Excel in an Indonesian locale (decimal comma, list separator ``;``) splits a ``.csv`` at ``;``
and reads it as UTF-8 only when it starts with a byte order mark; with ``,`` and no mark it
shows every row in one cell and garbles ``é``. So the file is ``;``-separated UTF-8 with a BOM,
and holds the official table as the XLSX prints it: the title block (the plan's own title; none
is made up), the two header rows (``RENCANA PELAKSANAAN KEGIATAN`` over the months 1..12), then
the plan rows, each merged text on the first row it covers. No total rows: the sum of the cost
column is the plan's total. Amounts are plain integers (``8378000``): grouping dots would read
as decimals in some locales, and ``Rp`` would make them text.
A scheduled month is marked ``x``; a line marked "no cost" shows ``-``. Text a spreadsheet would
run as a formula gets a leading apostrophe (:func:`renaksi.core.text.csv_safe`).

Because it is the table, Renaksi's importer reads it back as the same plan (the BOM and ``;``
are what it reads too), which ``tests/exports/test_csv_round_trip.py`` checks.
"""

from __future__ import annotations

from renaksi.core.plan_tree import PlanTree
from renaksi.core.text import csv_line, csv_safe
from renaksi.imports.writers import table_cells

__all__ = ["BOM", "DELIMITER", "MONTH_MARK", "plan_csv"]

BOM = "\ufeff"
DELIMITER = ";"
MONTH_MARK = "x"


def plan_csv(tree: PlanTree) -> str:
    """The CSV text, BOM first; written as UTF-8 it is the file to download."""
    rows = table_cells(tree, money_style="plain", month_mark=MONTH_MARK, title_fallback=False)
    return BOM + "".join(csv_line([csv_safe(cell) for cell in cells], DELIMITER) for cells in rows)
