"""Province isolation: a person of province A sees nothing of province B on any page, export,
API list or search.

The database holds two provinces: A is the suite's world (Quảng Ninh-like units made by the
factories, two offices with the personas, and an object of each app), B is the whole demo
(the real units of Quảng Ninh, the Quảng Yên office with data in every app: work,
meetings, documents, petitions, fund, campaigns, org). B's markers are read from the
database, not listed by hand: every text value the demo wrote (ten characters or more),
minus those that A's rows also hold and those any of A's pages showed before the demo
existed (page chrome, A's own names). Administrative units are reference data shared by
the country and are not markers.

The walk (``khoi.testing.walk``) starts from every URL pattern without a parameter (pages,
exports and the ninja API's lists, read from the resolver so that new ones are walked
without editing this test), follows every link and fills every GET form (searches) with
words of B's data. Then every route with parameters (one or more: a campaign's totals for
a period, a commune's figures...) is filled with A's ids and read as A's people (nothing
of B may show), and with B's ids (404, 403 or an empty answer).
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from khoi import clock
from khoi.testing.factories import World
from khoi.testing.walk import (
    MULTI,
    NOT_SAMPLED,
    WRITE_ONLY,
    crawl,
    object_routes,
    param_routes,
    response_text,
    route_samples,
)

# province_viewer: a user granted province A's unit (province-wide scope: every office and
# commune of A).
PERSONAS = ["office_head", "staff", "org_leader", "reporter", "viewer", "other_staff",
            "province_viewer"]  # fmt: skip
# A day when the personas of both provinces are in office (the suite's memberships start in
# 2020); B's data of 2017 is in every list and archive.
DAY = datetime.date(2020, 3, 2)
MIN_MARKER = 10
# The public pages of the Fund for the Poor show every fund's receipts to anybody, by law.
PUBLIC = ("/public/",)
# Models whose rows are shared by everybody or hold no one's data.
NOT_MARKERS = {
    "org.adminunit",  # the country's administrative units
    "demo.productdate",  # the product's date, one row for the installation
    "audit.chainhead",
}


def _empty(response: Any) -> bool:
    """An answer that holds nothing: a JSON of empty lists/objects/strings, or no body."""
    if not response.content:
        return True
    if response.get("Content-Type", "").split(";")[0] != "application/json":
        return False

    def empty(v: Any) -> bool:
        if isinstance(v, dict):
            return all(empty(x) for x in v.values())
        if isinstance(v, list):
            return not v
        return v in (None, "", 0)

    return empty(json.loads(response.content))


def _side(before: dict[str, int], *, b: bool) -> Any:
    """rows(label): A's rows of a model (up to the snapshot) or B's (after it)."""

    def rows(label: str) -> Any:
        model = apps.get_model(label)
        mark = before.get(label, 0)
        qs = model._default_manager.all()
        return qs.filter(pk__gt=mark) if b else qs.filter(pk__lte=mark)

    return rows


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]


def _khoi_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("khoi.")
        and not m._meta.proxy
        and m._meta.label_lower not in NOT_MARKERS
        and isinstance(m._meta.pk, models.AutoField | models.BigAutoField)
    ]


def _snapshot() -> dict[str, int]:
    """The last id of every model of the project with integer ids (markers' and others)."""
    return {
        m._meta.label_lower: (m._default_manager.aggregate(n=models.Max("pk"))["n"] or 0)
        for m in apps.get_models()
        if m.__module__.startswith("khoi.")
        and not m._meta.proxy
        and isinstance(m._meta.pk, models.AutoField | models.BigAutoField)
    }


def _values(before: dict[str, int], *, after: bool) -> dict[str, str]:
    """Text values of the rows written after (or up to) the snapshot, value → model."""
    out: dict[str, str] = {}
    for model in _khoi_models():
        fields = _text_fields(model)
        if not fields:
            continue
        label = model._meta.label_lower
        rows = model._default_manager.all()
        rows = rows.filter(pk__gt=before[label]) if after else rows.filter(pk__lte=before[label])
        for row in rows.values_list(*fields):
            for value in row:
                if isinstance(value, str):
                    for line in value.splitlines():
                        line = line.strip()
                        if line:
                            out.setdefault(line, label)
    return out


def _a_data(world: World) -> None:
    """One object of each app in A, so that A's detail pages are walked too."""
    from khoi.campaigns.tests.factories import setup_campaign
    from khoi.documents.tests.factories import incoming, outgoing
    from khoi.meetings.tests.factories import meeting
    from khoi.work import services as work
    from khoi.work.tests.factories import activity

    with clock.use_date(DAY):
        act = activity(world, world.women, "Tập huấn an toàn giao thông tỉnh A")
        work.do_create_task(
            world.users["office_head"], world.office, title="Tổng hợp số liệu quý tỉnh A",
            due_on=datetime.date(2020, 3, 25), assignee=world.people["staff"], activity=act,
        )  # fmt: skip
        meeting(world)
        incoming(world)
        outgoing(world)
        c = setup_campaign(world)
    more_a_data(world, c)


def more_a_data(world: World, c: dict[str, Any]) -> None:
    """What the routes of several parameters need in A: campaign figures of a commune for a
    quarter, a cluster with a scoring table, a key project with a household and a visit,
    an oversight programme with a supervision, a fund with a receipt."""
    from decimal import Decimal

    from khoi.campaigns import services as campaigns
    from khoi.campaigns.tests.factories import full_cells
    from khoi.fund import services as fund_services
    from khoi.fund.models import Fund
    from khoi.oversight.tests.factories import programme, supervision
    from khoi.petitions import clearance
    from khoi.petitions import services as petitions

    staff = world.users["staff"]
    with clock.use_date(DAY):
        campaigns.do_save_figures(
            world.users["reporter"], c["campaign"], world.commune, "2020-Q1", full_cells(c)
        )
        cluster = campaigns.do_create_cluster(
            staff, world.office, name="Cụm thi đua các đoàn thể tỉnh A", kind="organizations",
            organizations=[world.front, world.women],
        )  # fmt: skip
        campaigns.do_set_scoring_table(
            staff, cluster, year=2020, base_points=Decimal(0),
            criteria=[campaigns.CriterionInput("Hoạt động", Decimal(100), "activities")],
        )  # fmt: skip
        project = petitions.do_create_key_project(
            staff, world.office, name="Khu công nghiệp tỉnh A", units=[world.commune]
        )
        household = clearance.do_add_household(
            staff, project, unit=world.commune, head_name="Hộ tỉnh A số một", on=DAY
        )
        clearance.do_record_visit(
            staff, project, kind="visit", held_on=DAY, by_whom="Cán bộ tỉnh A",
            with_whom="Chủ hộ", outcome="Đồng ý", household=household,
        )  # fmt: skip
        supervision(world, programme=programme(world, year=2020), planned_from=DAY,
                    planned_until=datetime.date(2020, 4, 30))  # fmt: skip
        fund = fund_services.do_create_fund(
            None, name="Quỹ Vì người nghèo tỉnh A", unit=world.commune,
            level=Fund.Level.COMMUNE, office=world.office,
        )  # fmt: skip
        fund_services.do_post_receipt(
            None, fund, amount=200_000, date=DAY, donor_kind="person", donor_name="Nhà hảo tâm A"
        )


class Markers:
    """Finds which of many marker strings a text holds, in one pass over the text: candidates
    by their first characters at every word start, then confirmed by a substring test."""

    def __init__(self, markers: dict[str, str]) -> None:
        self.markers = markers
        self.by_head: dict[str, list[str]] = {}
        for marker in markers:
            self.by_head.setdefault(marker[:MIN_MARKER], []).append(marker)

    def found(self, text: str) -> set[str]:
        out: set[str] = set()
        heads = self.by_head
        for match in WORD_START.finditer(text):
            i = match.start()
            for marker in heads.get(text[i : i + MIN_MARKER], ()):
                if text.startswith(marker, i):
                    out.add(marker)
        return out


WORD_START = re.compile(r"(?<![^\W_])\w|(?<=\s)\W")


def _walk(clients: dict[str, Client], words: list[str]) -> dict[str, Any]:
    out = {}
    with clock.use_date(DAY):
        for persona, client in clients.items():
            out[persona] = crawl(client, words=words)
    return out


@pytest.mark.django_db
def test_a_person_of_one_province_sees_nothing_of_another(world: World) -> None:
    from khoi.org import services as org_services
    from khoi.org.demo import load_demo
    from khoi.testing.factories import user

    _a_data(world)
    world.users["province_viewer"] = user("tinh_a")
    org_services.do_grant_unit(None, world.users["province_viewer"], world.province)
    clients = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(world.users[persona])
        clients[persona] = client
    # what A's pages show before B exists: chrome, labels, A's own data
    before_walk = _walk(clients, ["Quảng"])
    baseline = "\n".join(v.text for c in before_walk.values() for v in c.visits)

    # The demo finds its office by code and its people by name: A must not lend it either.
    from khoi.org.demo import OFFICE_CODE, PEOPLE
    from khoi.org.models import JointOffice, Person

    JointOffice.objects.filter(code=OFFICE_CODE).update(code="tinh-a")
    for n, p in enumerate(Person.objects.filter(full_name__in=[p.name for p in PEOPLE])):
        Person.objects.filter(pk=p.pk).update(full_name=f"Người tỉnh A số {n}")
    before = _snapshot()
    load_demo()
    assert JointOffice.objects.filter(code=OFFICE_CODE).exclude(unit=world.town).exists()
    a_values = _values(before, after=False)
    b_values = _values(before, after=True)
    candidates = {
        value: label
        for value, label in b_values.items()
        if len(value) >= MIN_MARKER and re.search(r"[^\W\d_]{3}", value)
    }
    from khoi.org.models import AdminUnit

    unit_names = set(AdminUnit.objects.values_list("name", flat=True))
    candidates = {v: label for v, label in candidates.items() if v not in unit_names}
    shared = Markers(candidates).found("\n".join(a_values) + "\n" + baseline)
    markers = {v: label for v, label in candidates.items() if v not in shared}
    assert len(markers) > 200, "the demo should give hundreds of markers"
    index = Markers(markers)
    words = ["Quảng Yên", "Hà An", "Nguyễn"]

    # the walk as B's staff finds B's markers: the detector works
    demo = Client()
    from khoi.accounts.models import User

    demo.force_login(User.objects.get(username="canbo"))
    with clock.use_date(DAY):
        seen_by_b = crawl(demo, limit=60)
    found = {m for v in seen_by_b.visits for m in index.found(v.text)}
    assert len(found) > 20, "B's own staff must see B's markers"

    leaks: list[str] = []
    errors: list[str] = []
    walked = 0
    for persona, result in _walk(clients, words).items():
        errors += [f"{persona} {e}" for e in result.errors]
        for visit in result.visits:
            walked += 1
            if visit.url.startswith(PUBLIC):
                continue
            for marker in index.found(visit.text):
                label = markers[marker]
                leaks.append(f"{persona} {visit.url} [{visit.kind}]: {label} «{marker[:60]}»")
    # B's objects asked for by address (pages and API, ids of B's rows): never opened
    opened: list[str] = []
    tried = 0
    routes = object_routes()
    labels_of: dict[str, set[str]] = {}
    for route, label in routes:
        labels_of.setdefault(route, set()).add(label)
    with clock.use_date(DAY):
        for route, label in routes:
            if route.startswith(PUBLIC) or label in NOT_MARKERS:
                continue
            model = apps.get_model(label)
            # a route that names two models (an activity or a joint activity) may open A's
            # row of the other model with the same id: such ids are not tried
            others = (
                max(before.get(o, 0) for o in labels_of[route] - {label})
                if len(labels_of[route]) > 1
                else 0
            )
            pks = list(
                model._default_manager.filter(pk__gt=max(before[label], others))
                .order_by("pk")
                .values_list("pk", flat=True)[:3]
            )
            for pk in pks:
                for persona in ("staff", "office_head", "reporter"):
                    tried += 1
                    response = clients[persona].get(route.format(pk))
                    if response.status_code == 200:
                        found_here = index.found(response_text(response))
                        opened.append(f"{persona} {route.format(pk)} ({label}): {len(found_here)}")
                    elif response.status_code >= 500:
                        errors.append(f"{persona} {route.format(pk)}: {response.status_code}")
    # every route with parameters, filled with A's ids, read as A's people: nothing of B;
    # filled with B's ids (routes of several parameters, the ones above took one): nothing
    a_rows, b_rows = _side(before, b=False), _side(before, b=True)
    unwalked: list[str] = []
    answered: set[str] = set()  # routes that opened with A's ids for one persona at least
    a_urls = 0
    b_tried = 0
    with clock.use_date(DAY):
        for r in param_routes():
            if r.name in NOT_SAMPLED:
                continue
            if r.name in WRITE_ONLY:
                url = r.fill(**dict.fromkeys(r.params, 1))
                status = clients["staff"].get(url).status_code
                if status != 405:
                    errors.append(f"staff GET {url} (write-only): {status}")
                continue
            urls = route_samples(r, a_rows, 1)
            if urls is None:
                unwalked.append(f"{r.name} {r.route}")
                continue
            for url in urls:
                for persona, client in clients.items():
                    a_urls += 1
                    response = client.get(url)
                    if response.status_code == 200:
                        answered.add(r.name)
                    if response.status_code >= 500:
                        errors.append(f"{persona} {url}: {response.status_code}")
                    elif response.status_code == 200 and not url.startswith(PUBLIC):
                        for marker in index.found(response_text(response)):
                            leaks.append(f"{persona} {url}: {markers[marker]} «{marker[:60]}»")
            if r.name not in MULTI or r.route.startswith(PUBLIC[0].lstrip("/")):
                continue
            for url in route_samples(r, b_rows, 2) or []:
                for persona in ("staff", "office_head", "reporter", "province_viewer"):
                    b_tried += 1
                    response = clients[persona].get(url)
                    if response.status_code == 200 and not _empty(response):
                        found_here = index.found(response_text(response))
                        opened.append(f"{persona} {url} (B's ids): {len(found_here)} markers")
                    elif response.status_code >= 500:
                        errors.append(f"{persona} {url}: {response.status_code}")

    # and no link to them is ever offered
    from khoi import links

    offered = []
    for object_type in links.OBJECTS:
        model = apps.get_model(object_type)
        pks = model._default_manager.filter(pk__gt=before[object_type]).values_list("pk", flat=True)
        for persona in PERSONAS:
            if links.openable(world.users[persona], object_type, list(pks)):
                offered.append(f"{persona} {object_type}")

    kinds = Counter(v.kind for c in before_walk.values() for v in c.visits if v.status == 200)
    assert walked > 300
    # the walk reaches the exports and the API, not only pages
    assert kinds["application/json"] > 20, kinds
    assert kinds["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], kinds
    assert kinds["application/vnd.openxmlformats-officedocument.wordprocessingml.document"], kinds
    assert tried > 100
    assert not unwalked, f"routes no walk fills (add them to walk.MULTI): {unwalked}"
    assert a_urls > 500, a_urls
    assert b_tried > 40, b_tried
    several = {"api:totals", "api:completeness", "api:get_figures", "api:cluster_ranking",
               "campaigns:entry", "audit:history"}  # fmt: skip
    assert several <= answered, sorted(several - answered)
    assert not errors, errors
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(sorted(set(leaks))[:80])
    assert not opened, "\n".join(opened)
    assert not offered, offered
