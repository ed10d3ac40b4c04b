"""Links only to what opens: one place decides whether a link, menu item or button appears.

A link is shown only when its target will open for that user (the same rule as the view,
so a shown link never leads to a 404). Apps register, in ``AppConfig.ready()``:

- ``register_page(url_name, check)``: ``check(user) -> bool``, whether the page opens
  (list pages, "new" forms). A page nobody registered opens for every signed-in user.
- ``register_object(object_type, readable, url)``: ``readable(user) -> QuerySet`` (the app's
  ``<models>_for_user``) and ``url(pk) -> str``. Answers come in batches: ``prime()`` or
  ``openable()`` run one query per object type, whatever the number of links on the page.

Readers (templates through ``{% load links %}``, views, other apps' panels) call
``can_open_page``, ``openable``, ``can_open`` and ``link_for``; none of them imports the
app that owns the object. Answers are cached on the user object, i.e. for one request.

For panels that list other capabilities' objects (e.g. the overlap suggestions), call
``partition(user, "work.activity", activities)`` (or ``openable(user, type, ids)``) once,
then show a title and a link for what opens and only "a matching item of another
organization exists" for the rest.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

PageCheck = Callable[[Any], bool]
Readable = Callable[[Any], Any]  # user -> QuerySet of the objects the user may open
UrlFor = Callable[[Any], str]

PAGES: dict[str, PageCheck] = {}
OBJECTS: dict[str, tuple[Readable, UrlFor]] = {}


def register_page(url_name: str, check: PageCheck) -> None:
    PAGES[url_name] = check


def register_object(object_type: str, readable: Readable, url: UrlFor) -> None:
    OBJECTS[object_type] = (readable, url)


def _cache(user: Any) -> dict[str, Any]:
    cache = getattr(user, "_khoi_links", None)
    if cache is None:
        cache = {"pages": {}, "objects": {}}
        with contextlib.suppress(AttributeError):  # an object without attributes: no cache
            user._khoi_links = cache
    return cache


def can_open_page(user: Any, url_name: str) -> bool:
    """Whether the page named ``url_name`` opens for ``user`` (signed in)."""
    if not getattr(user, "is_authenticated", False):
        return False
    pages = _cache(user)["pages"]
    if url_name not in pages:
        check = PAGES.get(url_name)
        pages[url_name] = True if check is None else bool(check(user))
    return bool(pages[url_name])


def _key(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def prime(user: Any, refs: Iterable[tuple[str, Any]]) -> None:
    """Answer for many (object_type, pk) at once: one query per object type."""
    known: dict[tuple[str, Any], bool] = _cache(user)["objects"]
    wanted: dict[str, set[Any]] = {}
    for object_type, pk in refs:
        if not object_type or pk in (None, ""):
            continue
        if (object_type, _key(pk)) not in known:
            wanted.setdefault(object_type, set()).add(_key(pk))
    for object_type, pks in wanted.items():
        entry = OBJECTS.get(object_type)
        found: set[Any] = set()
        if entry is not None and getattr(user, "is_authenticated", False):
            found = set(entry[0](user).filter(pk__in=pks).values_list("pk", flat=True))
        for pk in pks:
            known[(object_type, pk)] = pk in found


def openable(user: Any, object_type: str, pks: Iterable[Any]) -> set[Any]:
    """The subset of ``pks`` the user may open (one query at most)."""
    pks = [_key(pk) for pk in pks]
    prime(user, [(object_type, pk) for pk in pks])
    known = _cache(user)["objects"]
    return {pk for pk in pks if known.get((object_type, pk))}


def partition(user: Any, object_type: str, objects: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """(objects the user may open, the others), in one query: for panels that show titles
    and links for the first and only "a matching item of another organization exists" for
    the rest (the overlap suggestions)."""
    objects = list(objects)
    ok = openable(user, object_type, [o.pk for o in objects])
    return [o for o in objects if o.pk in ok], [o for o in objects if o.pk not in ok]


def can_open(user: Any, object_type: str, pk: Any) -> bool:
    return bool(openable(user, object_type, [pk]))


def link_for(user: Any, object_type: str, pk: Any, url: str = "") -> str:
    """The object's address when the user may open it, else "" (show the text only)."""
    if not can_open(user, object_type, pk):
        return ""
    if url:
        return url
    entry = OBJECTS.get(object_type)
    return entry[1](_key(pk)) if entry is not None else ""


# --- The main menu ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str | Promise
    more: bool = False  # under "More"


def _menu() -> list[MenuItem]:
    from django.utils.translation import gettext_lazy as _

    return [
        MenuItem("home", _("Overview")),
        MenuItem("work:task_mine", _("Tasks")),
        MenuItem("work:activity_list", _("Activities")),
        MenuItem("work:plan_list", _("Plans")),
        MenuItem("work:joint_list", _("Joint work")),
        MenuItem("petitions:petition_list", _("Petitions")),
        MenuItem("meetings:list", _("Meetings")),
        MenuItem("documents:list", _("Document register")),
        MenuItem("documents:report_list", _("Periodic reports")),
        MenuItem("org:person_list", _("People")),
        MenuItem("org:office_list", _("Joint offices"), more=True),
        MenuItem("org:organization_list", _("Organizations"), more=True),
        MenuItem("org:unit_list", _("Administrative units"), more=True),
        MenuItem("audit:log", _("Audit log"), more=True),
        MenuItem("admin:index", _("Site administration"), more=True),
    ]


# The product's main menu (URL names only: no app is imported). An entry appears when its
# page opens for the user (``register_page``); apps add entries with ``register_menu``.
MENU: list[MenuItem] = _menu()
# The Django admin opens for active staff accounts (the site administrator).
PAGES["admin:index"] = lambda user: bool(user.is_active and user.is_staff)


def register_menu(*items: MenuItem) -> None:
    for item in items:
        if all(i.url_name != item.url_name for i in MENU):
            MENU.append(item)


@dataclass(frozen=True)
class MenuLink:
    url: str
    label: str
    more: bool


def main_menu(user: Any) -> list[MenuLink]:
    """The menu entries whose pages open for the user, in registration order."""
    out = []
    for item in MENU:
        if not can_open_page(user, item.url_name):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append(MenuLink(url, str(item.label), item.more))
    return out
