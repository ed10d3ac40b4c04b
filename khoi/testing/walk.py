"""Walking every page and API list as a persona, for the tests that must cover endpoints
nobody listed by hand (province isolation, query counts).

- ``list_routes()``: every URL pattern of the project without a path parameter (pages,
  exports, the ninja API's lists), read from the URL resolver, so a new page or endpoint
  is walked the day it is added;
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


def object_routes() -> list[tuple[str, str]]:
    """(route with one ``{}`` for the parameter, model label) of every route taking exactly
    one parameter that names an object of a model (``work/activities/<int:pk>/`` → Activity,
    ``api/v1/fund/cases/<case_id>`` → fund.HousingCase's "case"...), for trying other
    people's objects."""
    from django.apps import apps

    names: dict[str, list[Any]] = {}
    for model in apps.get_models():
        if model.__module__.startswith("khoi."):
            names.setdefault(str(model._meta.model_name), []).append(model)
            last = re.findall(r"[A-Z][a-z]*", model.__name__)[-1].lower()  # HousingCase: case
            if last != model._meta.model_name:
                names.setdefault(last, []).append(model)
    out: list[tuple[str, str]] = []

    def singular(word: str) -> str:
        if word.endswith("ies"):
            return word[:-3] + "y"
        return word.removesuffix("s")

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            text = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + text)
                continue
            route = prefix + text
            params = PARAM.findall(route)
            if len(params) != 1 or "(?P" in route or route.startswith(("admin", "^admin")):
                continue
            before = route[: route.index("<")].rstrip("/").split("/")
            segments = [s for s in before if s and s not in ("api", "v1")]
            if not segments:
                continue
            word = singular(segments[-1].replace("-", ""))
            hint = (params[0][1].removesuffix("_id").removesuffix("_pk")).replace("_", "")
            candidates = names.get(word) or names.get(hint) or []
            if len(candidates) > 1:  # the app named first in the path wins, if one is
                first = singular(segments[0])
                chosen = [m for m in candidates if singular(m._meta.app_label) == first]
                candidates = chosen or candidates
            for model in dict.fromkeys(candidates):
                out.append(("/" + PARAM.sub("{}", route), model._meta.label_lower))

    walk(get_resolver().url_patterns, "")
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
