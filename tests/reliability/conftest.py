"""The reliability battery: quick cases in every run, long ones behind ``-m reliability``.

``make reliability`` runs every test here and then ``tests/reliability/report.py``, which prints
the figures the tests wrote (see :mod:`figures`) and fails when a bar is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
