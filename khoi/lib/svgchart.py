"""Small server-side SVG charts (pure, no Django, no JavaScript, no CDN).

``bar_chart`` (horizontal bars, e.g. a ranking) and ``line_chart`` (a figure over time)
return an SVG string; every label is XML-escaped. Colours are fixed and readable in print.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

BAR = "#2f6db5"
LINE = "#b5472f"
GRID = "#d0d0d0"
TEXT = "#222"


def _num(v: float) -> str:
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str = "",
              width: int = 640, bar_height: int = 22) -> str:  # fmt: skip
    n = len(labels)
    label_w, top = 200, 30 if title else 8
    height = top + n * (bar_height + 6) + 10
    top_value = max([*values, 0.0]) or 1.0
    scale = (width - label_w - 70) / top_value
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="12">'
    ]
    if title:
        parts.append(f'<text x="4" y="18" font-weight="bold" fill="{TEXT}">{escape(title)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_height + 6)
        w = max(value, 0) * scale
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(label[:32])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{BAR}">'
            f"<title>{escape(label)}: {_num(value)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}" fill="{TEXT}">'
            f"{_num(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(labels: Sequence[str], values: Sequence[float | None], *, title: str = "",
               width: int = 640, height: int = 240) -> str:  # fmt: skip
    left, right, top, bottom = 50, 16, 30 if title else 10, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    high = max([*known, 0.0]) or 1.0
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="11">'
    ]
    if title:
        parts.append(f'<text x="4" y="18" font-weight="bold" fill="{TEXT}">{escape(title)}</text>')
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{_num(high * k / 4)}</text>"
        )
    points = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
        if value is not None:
            y = top + plot_h - plot_h * value / high
            points.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LINE}">'
                f"<title>{escape(label)}: {_num(value)}</title></circle>"
            )
    if len(points) > 1:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def completion_class(share: float) -> str:
    """CSS class of a commune's cell in the completion table (colours in khoi.css, which
    match ``completion_colour``; pages carry no inline style under the CSP)."""
    if share >= 1:
        return "completion-all"
    if share >= 0.5:
        return "completion-most"
    if share > 0:
        return "completion-some"
    return "completion-none"


def completion_colour(share: float) -> str:
    """Background colour of a commune in the completion table (0 = none … 1 = all)."""
    if share >= 1:
        return "#4f9d5d"
    if share >= 0.5:
        return "#b9d98a"
    if share > 0:
        return "#f3d27a"
    return "#e58f7d"
