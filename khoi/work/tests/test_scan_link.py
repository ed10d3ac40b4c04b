"""The "Find overlaps" buttons appear only for those whom the scan opens for."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("persona", ["staff", "office_head", "org_leader", "reporter", "viewer"])
def test_the_scan_button_appears_only_when_the_scan_opens(world, as_user, persona) -> None:
    client = as_user(persona)
    opens = client.get("/work/joint/scan/").status_code == 200
    for page in ("/work/activities/", "/work/joint/"):
        shown = 'href="/work/joint/scan/"' in client.get(page).content.decode()
        assert shown == opens, (persona, page)


def test_a_commune_reporter_is_not_offered_the_scan(world, as_user) -> None:
    client = as_user("reporter")
    assert client.get("/work/joint/scan/").status_code == 404
    assert "/work/joint/scan/" not in client.get("/work/activities/").content.decode()
