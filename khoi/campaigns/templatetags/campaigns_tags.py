"""The input(s) of one grid cell, chosen by the indicator's kind."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from khoi.lib.figures import fmt

register = template.Library()
CHOICES = (("", "—"), ("Có", "Có"), ("Không", "Không"))


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


def _dec(v: Any) -> str:
    return "" if v is None else fmt(v)


@register.simple_tag
def cell_input(
    cell: dict[str, Any], posted: Any, locked: bool, can_enter: bool, campaign: Any
) -> SafeString:
    ind, key, value = cell["indicator"], cell["key"], cell["value"]
    disabled = locked or not can_enter

    def pick(prefix: str, stored: str) -> str:
        if posted and f"{prefix}-{key}" in posted:
            return str(posted.get(f"{prefix}-{key}"))
        return stored

    attrs = " disabled" if disabled else ""
    label = f"{ind.code}"
    if ind.kind == "percent":
        html = format_html(
            '<input name="n-{}" value="{}" inputmode="decimal" size="6" aria-label="{}"{}> / '
            '<input name="d-{}" value="{}" inputmode="decimal" size="6" aria-label="{}"{}>',
            key,
            pick("n", _dec(value.numerator if value else None)),
            f"{label} {_('numerator')}",
            attrs,
            key,
            pick("d", _dec(value.denominator if value else None)),
            f"{label} {_('denominator')}",
            attrs,
        )
    elif ind.kind == "yesno":
        current = pick(
            "v", "" if not value or value.flag is None else ("Có" if value.flag else "Không")
        )
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if v == current else "", t) for v, t in CHOICES),
        )
        html = format_html(
            '<select name="v-{}" aria-label="{}"{}>{}</select>',
            key,
            label,
            attrs,
            options,
        )
    elif ind.kind == "text":
        html = format_html(
            '<input name="v-{}" value="{}" aria-label="{}"{}>',
            key,
            pick("v", value.text if value else ""),
            label,
            attrs,
        )
    else:
        html = format_html(
            '<input name="v-{}" value="{}" inputmode="decimal" size="8" aria-label="{}"{}>',
            key,
            pick("v", _dec(value.number if value else None)),
            label,
            attrs,
        )
    comment = pick("c", value.comment if value else "")
    extra = format_html(
        "<details><summary>{}</summary>"
        '<input name="c-{}" value="{}" aria-label="{}"{}>'
        '<input type="file" name="f-{}" aria-label="{}"{}></details>',
        _("Comment and evidence"),
        key,
        comment,
        f"{label} {_('comment')}",
        attrs,
        key,
        f"{label} {_('evidence')}",
        attrs,
    )
    link = ""
    if value is not None and value.evidence:
        url = reverse("campaigns:evidence", args=[campaign.pk, value.pk])
        link = format_html(' <a href="{}">{}</a>', url, _("evidence"))
    return format_html("{}{}{}", html, extra, link)


@register.simple_tag
def grid_rows(
    rows: list[dict[str, Any]], posted: Any, locked: bool, can_enter: bool, campaign: Any,
    cell_errors: dict[str, str],
) -> SafeString:  # fmt: skip
    """Every row of the grid, built in Python (one tag call instead of a template loop per
    cell: the grid of a commune with many areas and indicators stays fast)."""
    dash = format_html('<td><span class="muted">{}</span></td>', "—")
    out = []
    for row in rows:
        cells = []
        for c in row["cells"]:
            if not c["active"]:
                cells.append(dash)
                continue
            error = cell_errors.get(c["key"])
            cells.append(
                format_html(
                    "<td{}>{}{}</td>",
                    mark_safe(' class="has-error"') if error else "",
                    cell_input(c, posted, locked, can_enter, campaign),
                    format_html('<div class="errors">{}</div>', error) if error else "",
                )
            )
        out.append(
            format_html(
                '<tr><th scope="row">{}</th>{}</tr>',
                row["name"],
                mark_safe("".join(cells)),  # noqa: S308 (each cell built by format_html)
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (each row built by format_html)
