"""One place answers "which offices can this user read, staff, head, assign in"."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from khoi.accounts import access

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    #             read                    staff        head         assign
    "office_head": ({"quang-yen"}, {"quang-yen"}, {"quang-yen"}, {"quang-yen"}),
    "staff": ({"quang-yen"}, {"quang-yen"}, set(), set()),
    "org_leader": ({"quang-yen"}, set(), set(), {"quang-yen"}),
    "other_staff": ({"uong-bi"}, {"uong-bi"}, set(), set()),
    "viewer": ({"quang-yen"}, set(), set(), set()),
    "reporter": (set(), set(), set(), set()),
    "outsider": (set(), set(), set(), set()),
    "admin": ({"quang-yen", "uong-bi"},) * 4,
}


def codes(qs: Any) -> set[str]:
    return set(qs.values_list("code", flat=True))


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_office_sets_per_persona(world: Any, persona: str) -> None:
    user = world.users[persona]
    read, staff, head, assign = EXPECTED[persona]
    assert codes(access.readable_offices(user)) == read
    assert codes(access.staff_offices(user)) == staff
    assert codes(access.head_offices(user)) == head
    assert codes(access.assignable_offices(user)) == assign
    for office in (world.office, world.other_office):
        assert access.can_read_office(user, office) == (office.code in read)
        assert access.can_staff_office(user, office.pk) == (office.code in staff)
        assert access.can_head_office(user, office) == (office.code in head)
        assert access.can_assign_in(user, office) == (office.code in assign)


def test_the_app_helpers_agree(world: Any) -> None:
    from khoi.documents import access as documents
    from khoi.meetings import access as meetings
    from khoi.work import access as work

    for user in world.users.values():
        for office in (world.office, world.other_office):
            staff = access.can_staff_office(user, office)
            assert documents.can_write(user, office) == staff
            assert meetings.can_manage(user, office.pk) == staff
            assert work.can_propose_merge(user, office) == staff
            assert work.can_approve_merge(user, office) == access.can_head_office(user, office)
            assert work.can_assign(user, office) == access.can_assign_in(user, office)


SCOPE_SETS = {"staff_office_ids", "head_office_ids", "led_org_ids", "member_org_ids"}


def _scope_reads(path: Path) -> list[str]:
    """Functions of a module that compute office sets from a scope themselves."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            attrs = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if attrs & SCOPE_SETS and "JointOffice" in names:
                found.append(node.name)
    return found


@pytest.mark.parametrize(
    "module",
    ["work/views.py", "work/views_tasks.py", "meetings/access.py", "documents/access.py"],
)
def test_no_copy_of_the_office_rules(module: str) -> None:
    assert _scope_reads(ROOT / module) == []
