"""Messages outside templates go through gettext: command output and reminder e-mails carry
no Vietnamese literal in the code (an English msgid, translated in the catalogue)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import translation

VIETNAMESE = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I
)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "pgettext_lazy"}


def _sources() -> list[Path]:
    root = Path(settings.BASE_DIR) / "khoi"
    files = list(root.glob("*/management/commands/*.py")) + list(root.glob("*/reminders.py"))
    return [f for f in files if f.name != "__init__.py"]


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed: set[int] = set()
    for node in ast.walk(tree):
        is_gettext = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT
        )
        is_help = isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "help" for t in node.targets
        )
        # data, not messages: module-level constants named *_NAME / *_TYPE (generated unit names)
        is_data = (
            isinstance(node, ast.Assign)
            and node in tree.body
            and all(
                isinstance(t, ast.Name | ast.Tuple)
                and all(
                    n.id.endswith(("_NAME", "_TYPE"))
                    for n in ast.walk(t)
                    if isinstance(n, ast.Name)
                )
                for t in node.targets
            )
        )
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        ):
            allowed.add(id(node.body[0].value))  # a docstring
        if (
            is_gettext
            or is_help
            or is_data
            or (isinstance(node, ast.keyword) and node.arg == "help")
        ):
            allowed |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in allowed and VIETNAMESE.search(text):
            out.append(f"{path.name}:{getattr(node, 'lineno', 0)}: {text[:60]!r}")
    return out


def test_commands_and_reminders_hold_no_vietnamese_literal() -> None:
    found = [line for path in _sources() for line in _literals(path)]
    assert _sources() and not found, found


def test_command_output_is_vietnamese_through_the_catalogue(db: None) -> None:
    from io import StringIO

    out = StringIO()
    with translation.override("vi"):
        call_command("audit_verify", stdout=out)
    assert "Nhật ký toàn vẹn" in out.getvalue()
    out = StringIO()
    with translation.override("en"):
        call_command("audit_verify", stdout=out)
    assert "The audit log is intact" in out.getvalue()


def test_a_reminder_email_is_in_vietnamese_even_from_an_english_session(world, as_user) -> None:
    import datetime

    from khoi.work import services as work
    from khoi.work.reminders import send_due_reminders

    staff = world.people["staff"]
    staff.email = "ha@example.vn"
    staff.save(update_fields=["email"])
    work.do_create_task(
        world.users["office_head"], world.office, title="Nộp báo cáo",
        due_on=datetime.date(2017, 10, 10), assignee=staff,
    )  # fmt: skip
    with translation.override("en"):
        assert send_due_reminders(datetime.date(2017, 10, 12)) == 1
    message = mail.outbox[-1]
    assert message.subject.startswith("[Khối] Nhiệm vụ đã quá hạn")
    assert "Kính gửi đồng chí" in message.body and "Dear comrade" not in message.body
