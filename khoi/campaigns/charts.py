"""The campaign charts as PNG images for .docx reports (matplotlib, Agg backend, offline)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def bar_png(labels: Sequence[str], values: Sequence[float], title: str) -> bytes:
    fig = Figure(figsize=(6.3, 0.32 * max(len(labels), 3) + 0.8))
    ax = fig.subplots()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, list(values), color="#2f6db5")
    ax.set_yticks(positions, [label[:32] for label in labels], fontsize=8)
    for y, v in zip(positions, values, strict=True):
        ax.text(v, y, f" {v:.2f}".replace(".", ","), va="center", fontsize=7)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def line_png(labels: Sequence[str], values: Sequence[float | None], title: str) -> bytes:
    fig = Figure(figsize=(6.3, 2.6))
    ax = fig.subplots()
    xs = [i for i, v in enumerate(values) if v is not None]
    ax.plot(xs, [float(values[i] or 0) for i in xs], marker="o", color="#b5472f")
    ax.set_xticks(range(len(labels)), list(labels), fontsize=8)
    ax.set_xlim(-0.3, len(labels) - 0.7)
    if all(v is None or v >= 0 for v in values):
        ax.set_ylim(bottom=0)
    # Vietnamese decimal comma on the axis, as in the figures of the report
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ",")))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", color="#dddddd")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def completion_tiles_png(
    tiles: Sequence[tuple[str, str, str]],
    title: str,
    legend: Sequence[tuple[str, str]],
    columns: int = 4,
) -> bytes:
    """A map-free choropleth: one coloured tile per unit, read left to right, top to
    bottom, in the order given. ``tiles`` are (name, figure shown, background colour);
    ``legend`` is (colour, label) per band."""
    from matplotlib.patches import Patch, Rectangle

    columns = max(1, min(columns, len(tiles) or 1))
    rows = max(1, -(-len(tiles) // columns))
    fig = Figure(figsize=(6.3, 0.55 * rows + 1.0))
    ax = fig.subplots()
    for i, (name, figure, colour) in enumerate(tiles):
        r, c = divmod(i, columns)
        ax.add_patch(Rectangle((c, -r - 1), 1, 1, facecolor=colour, edgecolor="white", lw=2))
        ax.text(c + 0.5, -r - 0.38, name[:24], ha="center", va="center", fontsize=7)
        ax.text(c + 0.5, -r - 0.7, figure, ha="center", va="center", fontsize=8, fontweight="bold")
    ax.set_xlim(0, columns)
    ax.set_ylim(-rows, 0)
    ax.set_axis_off()
    ax.set_title(title, fontsize=10)
    ax.legend(
        handles=[Patch(facecolor=colour, label=label) for colour, label in legend],
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        ncol=len(legend),
        fontsize=7,
        frameon=False,
    )
    return _png(fig)
