"""A petition's timeline and history read in Vietnamese: no event codes, no field codes."""

from __future__ import annotations

import re

from django.urls import reverse

from khoi.petitions.tests.conftest import Case

ENGLISH = re.compile(
    r"\b(?:receive|received|assign|assigned|extend|limitation|Office|Unit|Created by|Petitioners)\b"
)


def test_the_timeline_names_each_step_in_vietnamese(case: Case, as_user) -> None:
    url = reverse("petitions:petition_detail", args=[case.denunciation.pk])
    body = as_user("office_head").get(url).content.decode()
    timeline = body.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert not ENGLISH.findall(timeline), timeline
    assert "Phân công cán bộ thụ lý" in timeline or "cán bộ" in timeline.lower()


def test_the_history_of_a_petition_has_no_english_labels(case: Case, as_user) -> None:
    url = reverse("audit:history", args=["petitions.petition", case.complaint.pk])
    response = as_user("office_head").get(url)
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    for english in ("Office", "Unit", "Created by", "Petitioners", "#1", "Identity"):
        assert f"{english}:" not in text and f"{english} :" not in text, english
