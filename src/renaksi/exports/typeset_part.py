"""Typeset one part of a big plan's PDF in a process of its own: ``python -m renaksi.exports.typeset_part``.

The part's JSON document comes on standard input, the PDF goes to standard output. A process per
part is the cheapest way to give Typst's memory back: freeing a part's layout in the exporting
process costs about 0.3 s of CPU a part (Typst keeps it in a cache that only ten more
compilations age out), while a process that exits frees nothing one by one, and its start costs
0.02 s. It also holds at most one part's layout whatever happens. Imports nothing of Django.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typst

TEMPLATE = Path(__file__).resolve().parent / "templates" / "plan.typ"


def main() -> None:
    document = sys.stdin.buffer.read().decode("utf-8")
    data = typst.compile(
        TEMPLATE,
        root=TEMPLATE.parent,
        format="pdf",
        sys_inputs={"plan": document},
        font_paths=[],
        ignore_system_fonts=True,
        pdf_tags=False,
    )
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    os._exit(0)  # nothing to free one by one: the process ends


if __name__ == "__main__":
    main()
