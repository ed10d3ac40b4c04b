"""Walking every page and API list as a persona, for the tests that must cover endpoints
nobody listed by hand (province isolation, query counts).

- ``list_routes()``: every URL pattern of the project without a path parameter (pages,
  exports, the ninja API's lists), read from the URL resolver, so a new page or endpoint
  is walked the day it is added;
- ``param_routes()`` and ``route_samples()``: every pattern WITH parameters (one or
  several: a campaign's totals for a period, a commune's figures), filled with the ids of
  one side's rows (a route of one object's id by its model, read from the path; the others
  by ``MULTI``); a route that neither fills and that ``NOT_SAMPLED`` or ``WRITE_ONLY`` does
  not list makes the walks fail;
- ``crawl()``: from those routes, follows every link a response offers (``href``,
  ``hx-get``, ``action`` of GET forms, filled with a search word), a few URLs per route;
- ``response_text()``: the text a person would read in an answer: HTML, JSON, CSV, and the
  exports (``.xlsx``, ``.docx``, ``.pdf`` through ``pdftotext`` where installed).
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import urllib.parse
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404

# Never walked: sign-out ends the session, the admin is Django's (behind two-factor, for
# site administrators only), language switching and the API's own documentation pages.
SKIP_PREFIXES = ("/admin/", "/i18n/", "/accounts/logout/", "/api/v1/docs", "/static/", "/media/")
SKIP_NAMES = frozenset({"accounts:logout", "logout"})
HREF = re.compile(r'(?:href|hx-get|data-href)="([^"#]*)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
TAGS = re.compile(r"<[^>]+>")


def _route_text(pattern: Any) -> str | None:
    """The literal path of a pattern, or None when it takes parameters."""
    text = str(pattern)
    if "<" in text or "(?P" in text or "(" in text:
        return None
    return text.lstrip("^").rstrip("$").replace("\\", "")


def list_routes() -> list[tuple[str, str]]:
    """(path, url name) of every pattern without parameters, pages and API alike."""
    out: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            text = _route_text(p.pattern)
            if text is None:
                continue
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + text, ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                out.append(("/" + prefix + text, name))

    walk(get_resolver().url_patterns, "", "")
    seen: set[str] = set()
    routes = []
    for path, name in out:
        if path in seen or path.startswith(SKIP_PREFIXES) or name in SKIP_NAMES:
            continue
        seen.add(path)
        routes.append((path, name))
    return routes


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _model_names() -> dict[str, list[Any]]:
    from django.apps import apps

    names: dict[str, list[Any]] = {}
    for model in apps.get_models():
        if model.__module__.startswith("khoi."):
            names.setdefault(str(model._meta.model_name), []).append(model)
            last = re.findall(r"[A-Z][a-z]*", model.__name__)[-1].lower()  # HousingCase: case
            if last != model._meta.model_name:
                names.setdefault(last, []).append(model)
    return names


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word.removesuffix("s")


# Path segments that do not spell their model's name.
SEGMENT_MODELS = {
    "people": "org.person",
    "joint": "work.jointactivity",
    "reception": "petitions.receptionsession",
    "coordination": "petitions.coordinationrules",
    "draft": "oversight.critique",
    "feedback": "oversight.feedbackround",
}


def _route_models(route: str, names: dict[str, list[Any]]) -> list[Any]:
    """The models the first parameter of ``route`` may name, from the path segment before it
    (``work/activities/<int:pk>/`` → Activity) or the parameter's name (``<case_id>``)."""
    params = PARAM.findall(route)
    before = route[: route.index("<")].rstrip("/").split("/")
    segments = [s for s in before if s and s not in ("api", "v1")]
    if not segments:
        return []
    word = _singular(segments[-1].replace("-", ""))
    hint = (params[0][1].removesuffix("_id").removesuffix("_pk")).replace("_", "")
    candidates = names.get(word) or names.get(hint) or []
    if not candidates and word in SEGMENT_MODELS:
        from django.apps import apps

        candidates = [apps.get_model(SEGMENT_MODELS[word])]
    if len(candidates) > 1:  # the app named first in the path wins, if one is
        first = _singular(segments[0])
        chosen = [m for m in candidates if _singular(m._meta.app_label) == first]
        candidates = chosen or candidates
    return list(dict.fromkeys(candidates))


def object_routes() -> list[tuple[str, str]]:
    """(route with one ``{}`` for the parameter, model label) of every route taking exactly
    one parameter that names an object of a model (``work/activities/<int:pk>/`` → Activity,
    ``api/v1/fund/cases/<case_id>`` → fund.HousingCase's "case"...), for trying other
    people's objects."""
    names = _model_names()
    out: list[tuple[str, str]] = []
    for r in param_routes():
        if len(r.params) != 1:
            continue
        for model in _route_models(r.route, names):
            out.append(("/" + PARAM.sub("{}", r.route), model._meta.label_lower))
    return out


@dataclass(frozen=True)
class ParamRoute:
    """A URL pattern with path parameters: its route text (``campaigns/<int:pk>/entry/
    <int:commune_pk>/<str:period>/``), url name and parameter names."""

    route: str
    name: str
    params: tuple[str, ...]

    def fill(self, **values: Any) -> str:
        return "/" + PARAM.sub(lambda m: str(values[m.group(2)]), self.route)


def param_routes() -> list[ParamRoute]:
    """Every URL pattern of the project with one or more path parameters (pages, exports and
    the API alike), read from the resolver; one per route text (the API registers a path
    once per method)."""
    out: dict[str, ParamRoute] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            text = str(p.pattern)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + text, ns)
                continue
            route = prefix + text
            params = tuple(name for _conv, name in PARAM.findall(route))
            if not params or "(?P" in route or ("/" + route).startswith(SKIP_PREFIXES):
                continue
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            if name in SKIP_NAMES:
                continue
            out.setdefault(route, ParamRoute(route, name, params))

    walk(get_resolver().url_patterns, "", "")
    return list(out.values())


Rows = Callable[[str], Any]  # model label → that side's rows of the model (a QuerySet)


def _pks(rows: Rows, label: str, n: int, **filters: Any) -> list[Any]:
    return list(rows(label).filter(**filters).order_by("pk").values_list("pk", flat=True)[:n])


def _pairs(rows: Rows, label: str, fk: str, n: int, **filters: Any) -> list[tuple[Any, Any]]:
    qs = rows(label).filter(**filters).order_by("pk").values_list(fk, "pk")[:n]
    return [(a, b) for a, b in qs]


def _figures(rows: Rows, n: int) -> list[tuple[int, int, str]]:
    qs = (
        rows("campaigns.submission")
        .order_by("pk")
        .values_list("campaign_id", "commune_id", "period")
    )
    return list(qs[:n])


def _histories(rows: Rows, n: int) -> list[dict[str, Any]]:
    """Objects with an audit history: ``n`` of each kind whose history a page shows."""
    from khoi.audit.access import OBJECT_GETTERS

    out = []
    for kind in sorted(OBJECT_GETTERS):
        ids = (
            rows("audit.auditentry")
            .filter(object_type=kind)
            .order_by("pk")
            .values_list("object_id", flat=True)[: 20 * n]
        )
        out += [{"object_type": kind, "object_id": i} for i in list(dict.fromkeys(ids))[:n]]
    return out


# Routes with more than one parameter (or a parameter that is not an object's id): how to
# fill them from one side's rows. Every such route is here or in NOT_SAMPLED below.
MULTI: dict[str, Callable[[Rows, int], list[dict[str, Any]]]] = {
    "audit:history": lambda rows, n: _histories(rows, n),
    "campaigns:entry": lambda rows, n: [
        {"pk": c, "commune_pk": u, "period": p} for c, u, p in _figures(rows, n)
    ],
    "campaigns:entry_template": lambda rows, n: [
        {"pk": c, "commune_pk": u, "period": p} for c, u, p in _figures(rows, n)
    ],
    "api:get_figures": lambda rows, n: [
        {"pk": c, "commune_id": u, "period": p} for c, u, p in _figures(rows, n)
    ],
    "api:totals": lambda rows, n: [{"pk": c, "period": p} for c, _u, p in _figures(rows, n)],
    "api:completeness": lambda rows, n: [{"pk": c, "period": p} for c, _u, p in _figures(rows, n)],
    "api:cluster_ranking": lambda rows, n: [
        {"pk": pk, "year": year}
        for pk in _pks(rows, "campaigns.cluster", n)
        for year in sorted(
            set(rows("campaigns.submission").values_list("year", flat=True)) or {2020}
        )[-1:]
    ],
    "campaigns:evidence": lambda rows, n: [
        {"pk": c, "value_pk": v}
        for c, v in _pairs(rows, "campaigns.value", "indicator__campaign_id", n)
    ],
    "documents:attachment": lambda rows, n: [
        {"pk": d, "attachment_pk": a}
        for d, a in _pairs(rows, "documents.attachment", "document_id", n)
    ],
    "documents:report_download": lambda rows, n: [
        {"pk": pk, "fmt": fmt}
        for pk in _pks(rows, "documents.periodicreport", n)
        for fmt in ("docx", "xlsx")
    ],
    "petitions:attachment_download": lambda rows, n: [
        {"pk": p, "att_pk": a}
        for p, a in _pairs(rows, "petitions.petitionattachment", "petition_id", n)
    ],
    "petitions:forwarding_letter": lambda rows, n: [
        {"pk": p, "fwd_pk": f} for p, f in _pairs(rows, "petitions.forwarding", "petition_id", n)
    ],
    "fund:case_document": lambda rows, n: [
        {"pk": pk, "which": which}
        for pk in _pks(rows, "fund.housingcase", n)
        for which in ("decision", "acceptance")
    ],
    "fund:case_photo": lambda rows, n: [
        {"pk": c, "photo": ph} for c, ph in _pairs(rows, "fund.casephoto", "case_id", n)
    ],
    "fund:receipt_print": lambda rows, n: [
        {"pk": pk, "fmt": "docx"} for pk in _pks(rows, "fund.entry", n, kind="receipt")
    ],
    "work:task_attachment": lambda rows, n: [
        {"pk": t, "update_pk": u}
        for t, u in _pairs(rows, "work.taskupdate", "task_id", n, attachment__gt="")
    ],
    "org:office_detail": lambda rows, n: [
        {"code": c}
        for c in rows("org.jointoffice").order_by("pk").values_list("code", flat=True)[:n]
    ],
    "api:get_office": lambda rows, n: [
        {"code": c}
        for c in rows("org.jointoffice").order_by("pk").values_list("code", flat=True)[:n]
    ],
}
# Routes never filled, each with the reason (the walks fail on a route in neither).
NOT_SAMPLED: dict[str, str] = {
    "accounts:password_reset_confirm": "a one-time token from an e-mail, not an object",
    "work:import_preview": "a file import's one-time token, kept in the session",
    "work:import_confirm": "a file import's one-time token, kept in the session",
    "work:import_cancel": "a file import's one-time token, kept in the session",
    "meetings:feed": "a calendar feed's secret token (the person's own), not an object",
}
# Routes that only take POST/PUT (a GET answers 405, which the walks check).
WRITE_ONLY: frozenset[str] = frozenset({
    "documents:report_edit", "meetings:minutes", "campaigns:entry_import",
    "petitions:duplicate_decide", "fund:household_match", "fund:case_action",
    "work:joint_addition_decide",
    "api:approve_addition", "api:reject_addition", "api:record_minutes", "api:change_stage",
    "api:edit_section", "api:decide_match",
})  # fmt: skip


def route_samples(route: ParamRoute, rows: Rows, n: int = 2) -> list[str] | None:
    """Up to ``n`` URLs of ``route`` filled with ids of ``rows``' objects (the first ones by
    id, so that the same objects are taken at every data size); None when the route is not
    known to this function (neither in MULTI nor an object's route of one parameter)."""
    if route.name in MULTI:
        return [route.fill(**values) for values in MULTI[route.name](rows, n)]
    if len(route.params) != 1:
        return None
    models = _route_models(route.route, _model_names())
    if not models:
        return None
    out: list[str] = []
    for model in models:
        out += [
            route.fill(**{route.params[0]: pk}) for pk in _pks(rows, model._meta.label_lower, n)
        ]
    return out


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def response_text(response: Any) -> str:
    """What a reader sees in the answer, decoded whatever its format."""
    kind = response.get("Content-Type", "").split(";")[0].strip()
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "application/json":
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body.decode("utf-8", "replace")
    if kind.endswith("spreadsheetml.sheet"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += [str(v) for v in row if v is not None]
        return "\n".join(cells)
    if kind.endswith("wordprocessingml.document"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [
                archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
            ]
        # runs of one paragraph are joined without a space, paragraphs with a newline
        text = re.sub(r"</w:p>", "\n", "".join(parts))
        return html.unescape(TAGS.sub("", text))
    if kind == "application/pdf":
        pdftotext = shutil.which("pdftotext")
        if pdftotext is None:
            return ""
        done = subprocess.run(  # noqa: S603  (a fixed program on the test's own bytes)
            [pdftotext, "-layout", "-", "-"], input=body, capture_output=True, check=False
        )
        return done.stdout.decode("utf-8", "replace")
    text = body.decode("utf-8", "replace")
    if kind == "text/html":
        return html.unescape(text)
    return text


def _links(text: str, base: str) -> Iterator[str]:
    for raw in HREF.findall(text):
        url = html.unescape(raw).strip()
        if not url or url.startswith(("mailto:", "tel:", "javascript:", "http://", "https://")):
            continue
        yield urllib.parse.urljoin(base, url)


def _get_forms(text: str, base: str, word: str) -> Iterator[str]:
    """GET forms (filters, search) submitted with every text box holding ``word``."""
    for attrs, inner in FORM.findall(text):
        a = dict(ATTR.findall(attrs))
        if a.get("method", "get").lower() != "get":
            continue
        query = {}
        for raw in INPUT.findall(inner):
            i = dict(ATTR.findall(raw))
            name, kind = i.get("name"), i.get("type", "text").lower()
            if not name or kind in ("submit", "button", "checkbox", "radio", "file", "date"):
                continue
            query[name] = word if kind in ("text", "search") else i.get("value", "")
        if any(v == word for v in query.values()):
            action = urllib.parse.urljoin(base, html.unescape(a.get("action", "")) or base)
            yield action.split("?")[0] + "?" + urllib.parse.urlencode(query)


@dataclass
class Visit:
    url: str
    status: int
    kind: str
    text: str
    queries: int = 0


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def route_key(url: str) -> str:
    """URLs of one route (and one set of query keys) count as one, for the per-route cap."""
    parts = urllib.parse.urlsplit(url)
    try:
        match = get_resolver().resolve(parts.path)
        name = match.view_name or parts.path
    except Resolver404:
        name = parts.path
    keys = sorted(urllib.parse.parse_qs(parts.query, keep_blank_values=True))
    return f"{name}?{'&'.join(keys)}"


def crawl(
    client: Client,
    *,
    words: list[str] = (),  # type: ignore[assignment]
    per_route: int = 2,
    limit: int = 1500,
    on_visit: Callable[[Visit], None] | None = None,
) -> Crawl:
    """GET every parameterless route, then every link and GET form found, breadth first;
    at most ``per_route`` URLs per route (one route = one view and one set of query keys)."""
    result = Crawl()
    queue: deque[str] = deque(path for path, _ in list_routes())
    seen: set[str] = set()
    per: Counter[str] = Counter()
    while queue and len(result.visits) < limit:
        url = queue.popleft()
        parts = urllib.parse.urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
            continue
        url = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
        if url in seen:
            continue
        seen.add(url)
        key = route_key(url)
        if per[key] >= per_route:
            continue
        per[key] += 1
        response = client.get(url)
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if response.status_code >= 500:
            result.errors.append(f"{url}: {response.status_code}")
        text = response_text(response) if response.status_code == 200 else ""
        visit = Visit(url, response.status_code, kind, text)
        result.visits.append(visit)
        if on_visit is not None:
            on_visit(visit)
        if kind == "text/html" and text:
            raw = response.content.decode("utf-8", "replace")
            queue.extend(_links(raw, url))
            for word in words:
                queue.extend(_get_forms(raw, url, word))
    return result
