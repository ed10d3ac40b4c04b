"""The admin's own tables read in Vietnamese: task results and confidential-data accesses."""

from __future__ import annotations

import re

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from khoi.audit.models import SensitiveAccess
from khoi.testing.factories import World

HEADERS = re.compile(r'<th scope="col"[^>]*>.*?<(?:a|span)[^>]*>(.*?)</(?:a|span)>', re.S)


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _headers(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in HEADERS.findall(html)]


def test_the_task_results_table_is_vietnamese(world: World, as_user) -> None:
    DBTaskResult.objects.create(
        task_path="khoi.work.tasks.send_task_reminders", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), status="SUCCESSFUL",
        exception_class_path="", traceback="",
    )  # fmt: skip
    page = as_user("admin").get("/admin/django_tasks_database/dbtaskresult/")
    assert page.status_code == 200
    html = page.content.decode()
    headers = _headers(html)
    assert headers and "Task name" not in headers and "Enqueued at" not in headers, headers
    text = _text(html)
    assert "Successful" not in text and "SUCCESSFUL" not in text, text
    assert "Task Results" not in text
    assert "nhắc việc" in html  # the job by its name, not its dotted path


def test_the_confidential_access_table_is_vietnamese(world: World, as_user) -> None:
    SensitiveAccess.objects.create(
        user=world.users["office_head"], object_type="petitions.petition", object_id="7",
        purpose="petition page",
    )  # fmt: skip
    page = as_user("admin").get("/admin/audit/sensitiveaccess/")
    assert page.status_code == 200
    html = page.content.decode()
    headers = _headers(html)
    for english in ("Created at", "User", "Object type", "Object id", "Purpose"):
        assert english not in headers, headers
    body = html.split("<tbody>", 1)[1]
    assert "petitions.petition" not in body and "petition page" not in body
