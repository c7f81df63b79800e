"""Server-side SVG charts (no script, nothing from outside): the share per year against the target path."""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from caseflow.reports.kpi import ShareRow
from caseflow.reports.targets import TargetPoint

#: the least distance between two year labels' centres, in SVG units
LABEL_GAP = 36


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def share_chart(rows: list[ShareRow], path: list[TargetPoint], *, title: str, share_label: str,
                target_label: str, width: int = 760, height: int = 320) -> Markup:
    """Bars: the share of each year (its figure above it); dashed line: the target path, dots where the
    programme names a year. Years come from both series, so future targets show as the way ahead."""
    years = sorted({int(r.key) for r in rows if r.key is not None} | {p.year for p in path})
    left, right, top, bottom = 44, 12, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" class="kpi-chart"><title>{escape(title)}</title>')]
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#6c757d">'
                   f'{pct}%</text>')
    if not years:
        out.append("</svg>")
        return Markup("".join(out))
    step = plot_w / len(years)
    x_of = {y: left + step * (i + 0.5) for i, y in enumerate(years)}
    by_year = {int(r.key): r for r in rows if r.key is not None}
    bar_w = max(4.0, min(36.0, step * 0.6))
    # one year label every `every` columns, so that no two labels overlap however many years the target path
    # spans (a label "2026" at 11 px is ~28 units wide; labels forced for every data year collided)
    every = max(1, math.ceil(LABEL_GAP / step))
    for year in years:
        x = x_of[year]
        row = by_year.get(year)
        if row is not None and row.share is not None:
            h = plot_h * row.share / 100
            out.append(f'<rect x="{x - bar_w / 2:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                       f'height="{h:.1f}" fill="#0d6efd" data-year="{year}"><title>{year}: {_fmt(row.share)}% '
                       f'({row.represented}/{row.matters})</title></rect>'
                       f'<text x="{x:.1f}" y="{top + plot_h - h - 4:.1f}" font-size="10" text-anchor="middle">'
                       f'{_fmt(row.share)}</text>')
        if years.index(year) % every == 0:
            out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle">'
                       f'{year}</text>')
    if path:
        points = " ".join(f"{x_of[p.year]:.1f},{top + plot_h * (1 - p.pct / 100):.1f}" for p in path)
        out.append(f'<polyline points="{points}" fill="none" stroke="#dc3545" stroke-width="2" '
                   f'stroke-dasharray="6 4" class="target-path"/>')
        for p in path:
            if p.set_by_programme:
                out.append(f'<circle cx="{x_of[p.year]:.1f}" cy="{top + plot_h * (1 - p.pct / 100):.1f}" r="4" '
                           f'fill="#dc3545"><title>{p.year}: {_fmt(p.pct)}%</title></circle>')
    legend_y = height - 8
    out.append(f'<rect x="{left}" y="{legend_y - 9}" width="12" height="10" fill="#0d6efd"/>'
               f'<text x="{left + 16}" y="{legend_y}" font-size="11">{escape(share_label)}</text>'
               f'<line x1="{left + 220}" x2="{left + 250}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="#dc3545" '
               f'stroke-width="2" stroke-dasharray="6 4"/>'
               f'<text x="{left + 256}" y="{legend_y}" font-size="11">{escape(target_label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
