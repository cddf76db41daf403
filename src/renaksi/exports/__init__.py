"""Outputs of a plan: the official table as XLSX and PDF, and the open data CSV/JSON.

Every output is fed by ``renaksi.core.table.table_rows`` and ``plan_totals`` so totals agree.
"""
