"""The readable log is total: every action the code writes, and any stored payload, renders
in Vietnamese without a server error."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.urls import reverse
from django.utils import translation

from khoi.audit import services as audit
from khoi.audit.labels import ACTION_LABELS, HIDDEN_KEYS, action_label
from khoi.audit.readable import field_label, readable_changes
from khoi.meetings.tests.factories import meeting
from khoi.testing.factories import World

AUDIT_CALLS = {"record": 1, "create": 2, "update_fields": 3}


def _written() -> tuple[set[str], set[str], set[str]]:
    """(literal actions, f-string action prefixes, literal change keys) found in the code."""
    actions: set[str] = set()
    prefixes: set[str] = set()
    keys: set[str] = set()
    root = Path(settings.BASE_DIR) / "khoi"
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in AUDIT_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                continue
            index = AUDIT_CALLS[node.func.attr]
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            options = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            for option in options:
                if isinstance(option, ast.Constant) and isinstance(option.value, str):
                    actions.add(option.value)
                elif isinstance(option, ast.JoinedStr) and isinstance(
                    option.values[0], ast.Constant
                ):
                    prefixes.add(str(option.values[0].value))
            payload = node.args[3] if node.func.attr == "record" and len(node.args) > 3 else None
            if isinstance(payload, ast.Dict):
                for key in payload.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        keys.add(key.value)
    return actions, prefixes, keys


def _models() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("khoi.")]


# Payload shapes an entry may hold: ids, titles where ids are expected, counts, nested data,
# old single values, and a payload that is not a dict at all.
SHAPES: list[Any] = [
    {"items": [None, ["Nhiệm vụ vướng mắc: Báo cáo kết quả", "Việc chung sắp bắt đầu"]]},
    {"petitioners": [None, 1], "identity": [None, "***"], "units": [[], [1, 2]]},
    {"office": [None, "Cơ quan Khối"], "unit": [1, "not an id"], "created_by": [None, 999999]},
    {"changes": [None, {"nested": [1, 2], "more": {"a": None}}], "user": ["x", True]},
    {"status": "closed", "title": [None, None, None], "starts_at": [None, "2017-10-09T08:00"]},
    ["a list instead of a dict"],
    "just text",
    {"recipients": 3, "count": [None, 1.5]},
]


def test_every_action_the_code_writes_has_a_label() -> None:
    actions, prefixes, _keys = _written()
    assert {"meeting.prefill", "petition.petitioners", "task.update"} <= actions  # the scan works
    assert prefixes == {"petition."}
    missing = sorted(a for a in actions if a not in ACTION_LABELS)
    assert not missing, f"actions without a readable label: {missing}"
    assert [a for a in ACTION_LABELS if a.startswith("petition.")]


@pytest.mark.django_db
def test_any_payload_of_any_object_type_renders_without_error() -> None:
    cache: dict[Any, str] = {}
    with translation.override("vi"):
        for model in _models():
            for shape in SHAPES:
                entry = SimpleNamespace(seq=1, object_type=model._meta.label_lower, changes=shape)
                for label, before, after in readable_changes(entry, cache):
                    assert label and isinstance(before, str) and isinstance(after, str)
        unknown = SimpleNamespace(seq=1, object_type="gone.model", changes=SHAPES[3])
        assert readable_changes(unknown, cache)


def test_every_field_and_key_the_log_can_show_has_a_vietnamese_label() -> None:
    _actions, _prefixes, keys = _written()
    owners = {f.name: m for m in _models() for f in m._meta.get_fields()}
    names: list[tuple[Any, str]] = [(owners.get(k), k) for k in keys]
    for model in _models():
        if model._meta.app_label == "audit":
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, ForeignObjectRel)
                or field.primary_key
                or field.name in HIDDEN_KEYS
            ):
                continue
            names.append((model, field.name))
    untranslated = []
    for model, name in names:
        with translation.override("vi"):
            vi = field_label(model, name)
        with translation.override("en"):
            en = field_label(model, name)
        if (vi == en and vi.lower() not in {"email"}) or vi == "Chi tiết":
            untranslated.append(f"{model._meta.label_lower if model else '-'}.{name}: {vi}")
    assert not untranslated, untranslated


def _every_action_entry(world: World) -> None:
    m = meeting(world)
    actions, prefixes, _keys = _written()
    labels = {a for a in ACTION_LABELS if any(a.startswith(p) for p in prefixes)}
    for i, action in enumerate(sorted(actions | labels)):
        audit.record(
            world.users["office_head"], action, m, SHAPES[i % len(SHAPES)], office_id=m.office_id
        )


def test_the_log_and_the_history_render_every_action_in_vietnamese(world: World, as_user) -> None:
    _every_action_entry(world)
    client = as_user("admin")
    m = world.office.meetings.get()
    pages = [reverse("audit:history", args=["meetings.meeting", m.pk])]
    pages += [f"{reverse('audit:log')}?page={n}" for n in (1, 2, 3)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for english in ("Office:", "Unit:", "Created by:", "Petitioners:", "#1"):
            assert english not in body, (url, english)
    head = as_user("office_head").get(reverse("audit:log"))
    assert head.status_code == 200


def test_a_prefilled_agenda_shows_its_titles(world: World, as_user) -> None:
    m = meeting(world)
    audit.record(
        world.users["office_head"], "meeting.prefill", m,
        {"items": [None, ["Nhiệm vụ quá hạn: Báo cáo"]]}, office_id=m.office_id,
    )  # fmt: skip
    body = as_user("office_head").get(reverse("audit:history", args=["meetings.meeting", m.pk]))
    assert body.status_code == 200
    text = body.content.decode()
    assert "Nhiệm vụ quá hạn: Báo cáo" in text
    assert action_label("meeting.prefill") in text
    assert action_label("no.such-action") == "made a change" or "thay đổi" in action_label("x.y")


def test_a_login_in_a_diff_reads_as_the_person_s_name(world: World) -> None:
    user = world.users["staff"]
    user.first_name, user.last_name = "Hà", "Nguyễn Thị"
    user.save(update_fields=["first_name", "last_name"])
    entry = SimpleNamespace(seq=1, object_type="work.plan", changes={"created_by": [None, user.pk]})
    with translation.override("vi"):
        ((label, _before, after),) = readable_changes(entry)
    assert label == "Người tạo" and "Hà" in after and user.username not in after
