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
words of B's data.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from khoi import clock
from khoi.testing.factories import World
from khoi.testing.walk import crawl, object_routes, response_text

PERSONAS = ["office_head", "staff", "org_leader", "reporter", "viewer", "other_staff"]
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
    return {
        m._meta.label_lower: (m._default_manager.aggregate(n=models.Max("pk"))["n"] or 0)
        for m in _khoi_models()
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
        setup_campaign(world)


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
    from khoi.org.demo import load_demo

    _a_data(world)
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
    assert not errors, errors
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(sorted(set(leaks))[:80])
    assert not opened, "\n".join(opened)
    assert not offered, offered
