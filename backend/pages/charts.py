"""Small server-rendered SVG bar charts (no JavaScript, no inline styles).

Every chart has a title and description for screen readers; the page shows the
same numbers in a table. Suppressed cells (fewer than 5, or hidden so that a small
one cannot be worked out) get no bar, only text.
"""

from __future__ import annotations

from html import escape
from itertools import count

from markupsafe import Markup

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
BAR_WIDTH = 320
_ids = count(1)


def bar_chart(title: str, cells: list[tuple[str, int | None]]) -> Markup:
    n = next(_ids)
    shown = [value for _, value in cells if value is not None]
    top = max(shown, default=0) or 1
    height = max(1, len(cells)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 80
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-{n}-t chart-{n}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{n}-t">{escape(title)}</title>',
        f'<desc id="chart-{n}-d">Staafdiagram. De getallen staan ook in de tabel eronder.</desc>',
    ]
    if not cells:
        parts.append(f'<text x="0" y="{BAR_HEIGHT}" class="chart-label">Geen meldingen</text>')
    for i, (label, value) in enumerate(cells):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 6
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" class="chart-label">'
            f"{escape(label[:32])}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{LABEL_WIDTH}" y="{text_y}" class="chart-hidden">verborgen</text>'
            )
            continue
        bar = max(2, round(BAR_WIDTH * value / top))
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
            'class="chart-bar"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{text_y}" class="chart-value">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped or numeric
