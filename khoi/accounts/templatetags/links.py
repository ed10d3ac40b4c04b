"""Template side of ``khoi.links``: ``{% load links %}``.

- ``{% main_menu as menu %}``: the menu entries that open for the user;
- ``{% if "documents:list"|page_opens:user %}``: a page link or button;
- ``{% link_for item as url %}{% if url %}<a href="{{ url }}">…{% endif %}``: an object's
  link (``item`` has ``object_type``/``object_id`` and optionally ``url``) when it opens.
Views that list many linked objects call ``khoi.links.prime()`` first (one query per type).
"""

from __future__ import annotations

from typing import Any

from django import template

from khoi import links

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> list[links.MenuLink]:
    return links.main_menu(context.get("user"))


@register.filter
def page_opens(url_name: str, user: Any) -> bool:
    return links.can_open_page(user, url_name)


@register.simple_tag(takes_context=True)
def link_for(context: template.Context, item: Any, object_type: str = "", pk: Any = None) -> str:
    """The link of ``item`` (or of ``object_type``/``pk``) when the user may open it, else ""."""
    user = context.get("user")
    kind = object_type or getattr(item, "object_type", "")
    key = pk if pk is not None else getattr(item, "object_id", None)
    if not kind or key in (None, ""):
        return ""
    return links.link_for(user, kind, key, getattr(item, "url", "") or "")
