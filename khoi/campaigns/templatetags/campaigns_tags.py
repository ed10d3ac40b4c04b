"""The commune's data-entry grid, rendered in one pass.

The grid is the page a commune reporter opens most; a commune with many residential areas
and indicators has hundreds of inputs. Building each cell with ``format_html`` (a lazy
SafeString per call) was most of the page's rendering time, so the rows are written here
as plain strings with every value escaped once (``html.escape``), and the translated
labels looked up once per grid, not once per cell.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from khoi.lib.figures import fmt

register = template.Library()
# the option values are the words the figure reader understands (data); the labels are
# translated
YES_NAME, NO_NAME = "Có", "Không"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


def _dec(v: Any) -> str:
    return "" if v is None else fmt(v)


def _labels() -> dict[str, str]:
    return {
        "numerator": escape(_("numerator")),
        "denominator": escape(_("denominator")),
        "comment": escape(_("comment")),
        "evidence": escape(_("evidence")),
        "details": escape(_("Comment and evidence")),
        "yes": escape(_("Yes")),
        "no": escape(_("No")),
    }


def _cell(
    cell: dict[str, Any], posted: Any, attrs: str, evidence_prefix: str, t: dict[str, str]
) -> str:
    """The inputs of one cell (every interpolated value escaped here)."""
    ind, key, value = cell["indicator"], cell["key"], cell["value"]

    def pick(prefix: str, stored: str) -> str:
        if posted and f"{prefix}-{key}" in posted:
            return escape(str(posted.get(f"{prefix}-{key}")))
        return escape(stored)

    code = escape(ind.code)
    k = escape(key)
    if ind.kind == "percent":
        num = pick("n", _dec(value.numerator if value else None))
        den = pick("d", _dec(value.denominator if value else None))
        html = (
            f'<input name="n-{k}" value="{num}" inputmode="decimal" size="6"'
            f' aria-label="{code} {t["numerator"]}"{attrs}> / '
            f'<input name="d-{k}" value="{den}" inputmode="decimal" size="6"'
            f' aria-label="{code} {t["denominator"]}"{attrs}>'
        )
    elif ind.kind == "yesno":
        stored = "" if not value or value.flag is None else (YES_NAME if value.flag else NO_NAME)
        current = pick("v", stored)
        options = "".join(
            f'<option value="{v}"{" selected" if v == current else ""}>{label}</option>'
            for v, label in (("", "—"), (YES_NAME, t["yes"]), (NO_NAME, t["no"]))
        )
        html = f'<select name="v-{k}" aria-label="{code}"{attrs}>{options}</select>'
    elif ind.kind == "text":
        text = pick("v", value.text if value else "")
        html = f'<input name="v-{k}" value="{text}" aria-label="{code}"{attrs}>'
    else:
        number = pick("v", _dec(value.number if value else None))
        html = (
            f'<input name="v-{k}" value="{number}" inputmode="decimal" size="8"'
            f' aria-label="{code}"{attrs}>'
        )
    comment = pick("c", value.comment if value else "")
    extra = (
        f"<details><summary>{t['details']}</summary>"
        f'<input name="c-{k}" value="{comment}" aria-label="{code} {t["comment"]}"{attrs}>'
        f'<input type="file" name="f-{k}" aria-label="{code} {t["evidence"]}"{attrs}></details>'
    )
    link = ""
    if value is not None and value.evidence:
        url = escape(f"{evidence_prefix}{value.pk}/")
        link = f' <a href="{url}">{t["evidence"]}</a>'
    return html + extra + link


@register.simple_tag
def grid_rows(
    rows: list[dict[str, Any]], posted: Any, locked: bool, can_enter: bool, campaign: Any,
    cell_errors: dict[str, str],
) -> SafeString:  # fmt: skip
    """Every row of the grid, built in Python (one tag call instead of a template loop per
    cell: the grid of a commune with many areas and indicators stays fast)."""
    attrs = " disabled" if locked or not can_enter else ""
    t = _labels()
    # one reverse() per grid ("/campaigns/<pk>/evidence/0/" without its last "0/")
    evidence_prefix = reverse("campaigns:evidence", args=[campaign.pk, 0])[:-2]
    dash = '<td><span class="muted">—</span></td>'
    out = []
    for row in rows:
        cells = []
        for c in row["cells"]:
            if not c["active"]:
                cells.append(dash)
                continue
            error = cell_errors.get(c["key"])
            inner = _cell(c, posted, attrs, evidence_prefix, t)
            if error:
                cells.append(
                    f'<td class="has-error">{inner}<div class="errors">{escape(error)}</div></td>'
                )
            else:
                cells.append(f"<td>{inner}</td>")
        out.append(f'<tr><th scope="row">{escape(row["name"])}</th>{"".join(cells)}</tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
