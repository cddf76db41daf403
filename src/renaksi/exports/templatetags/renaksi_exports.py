"""Template helpers for export links."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def years_for(rollup_years: dict[str, list[int]] | None, agency_code: str) -> list[int]:
    """``{% for year in rollup_years|years_for:node.code %}``: the roll-up years of one province."""
    if not rollup_years:
        return []
    return rollup_years.get(agency_code, [])
