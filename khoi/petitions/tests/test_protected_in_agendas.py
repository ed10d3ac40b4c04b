"""Issue #9 finding 7: a protected denunciation reaches a briefing only as a count.

The attack: the office head prefills a briefing's agenda; organization leaders invited to
it read the denunciation's subject and content on the agenda page and in the meeting API.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from khoi.meetings.tests.factories import meeting
from khoi.petitions.tests.conftest import Case


def test_leaders_read_a_count_not_the_case(case: Case, as_user: Any) -> None:
    m = meeting(case.world, datetime.date(2025, 11, 21), prefill=True)
    titles = list(m.items.values_list("title", "detail"))
    assert ("1 đơn tố cáo được bảo vệ quá hạn", "") in titles
    secret_words = [case.denunciation.subject, case.denunciation.content, "Tố cáo 2018"]
    leader = as_user("org_leader")
    page = leader.get(reverse("meetings:detail", args=[m.pk]))
    api = leader.get(f"/api/v1/meetings/{m.pk}")
    assert page.status_code == 200 and api.status_code == 200
    items = [i["title"] for i in api.json()["items"]]
    assert "1 đơn tố cáo được bảo vệ quá hạn" in items
    for body in (page.content.decode(), api.content.decode()):
        for words in secret_words:
            assert words not in body
