"""The demo holds the seed's 2017 supervision: seven communes, answered and overdue
recommendations on the demo's day, the 2018 duplicate warning, the reporter's own record."""

from __future__ import annotations

from khoi import clock
from khoi.org.demo import DEMO_DATE, load_demo
from khoi.oversight import overlap
from khoi.oversight.demo import COMMUNES
from khoi.oversight.models import Recommendation, Supervision


def test_the_demo_shows_the_seven_commune_supervision(db: None) -> None:
    load_demo()
    load_demo()  # idempotent
    land = Supervision.objects.filter(subject__contains="giải phóng mặt bằng", unit__isnull=True)
    assert land.count() == len(COMMUNES)
    assert {s.body.split(" ", 2)[2] for s in land} == set(COMMUNES)
    assert all(s.members.count() == 4 for s in land)
    assert land.filter(status=Supervision.Status.DONE).count() == 6
    assert land.filter(key_project_id__isnull=False).exists()
    with clock.use_date(DEMO_DATE):
        today = clock.today()
        # the supervisions' recommendations (social criticism and feedback add their own)
        recs = list(Recommendation.objects.exclude(source_kind__in=["criticism", "feedback"]))
        assert sum(r.is_overdue(today) for r in recs) == 2
        assert sum(r.status != Recommendation.Status.OPEN for r in recs) == 3
    office = land.first().office  # type: ignore[union-attr]
    assert len(overlap.programme_warnings(office, 2018)) == 1
    assert Supervision.objects.filter(
        unit__isnull=False, created_by__username="phuongha-an"
    ).exists()


def test_the_port_projects_timeline_shows_its_land_clearance_activities(db: None) -> None:
    from khoi.accounts.models import User
    from khoi.petitions.models import KeyProject
    from khoi.registry import timeline
    from khoi.work.models import Activity

    load_demo()
    load_demo()  # idempotent
    port = KeyProject.objects.get(name__contains="cảng biển Tiền Phong")
    linked = Activity.objects.filter(key_project_id=port.pk)
    assert linked.count() == 2 and all("GPMB" in a.title or "mặt bằng" in a.title for a in linked)
    urls = {e.url for e in timeline(User.objects.get(username="canbo"), port)}
    assert {f"/work/activities/{a.pk}/" for a in linked} <= urls
