"""A scoring table typed on the cluster page (#12): weights that do not add up, are not
finite numbers, or carry more decimals than are kept, are refused with a Vietnamese message
and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from khoi.campaigns import services
from khoi.campaigns.models import ScoringTable
from khoi.campaigns.tests.factories import setup_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(world: Any) -> Any:
    setup_campaign(world)
    return services.do_create_cluster(
        world.users["staff"], world.office, name="Cụm thi đua số 1", kind="communes"
    )


def _post(as_user: Any, cluster: Any, criteria: str) -> list[str]:
    client = as_user("staff")
    url = reverse("campaigns:cluster_manage", args=[cluster.pk])
    resp = client.post(url, {"action": "table", "year": "2017", "base_points": "0",
                             "criteria": criteria})  # fmt: skip
    assert resp.status_code == 302
    return [str(m) for m in get_messages(resp.wsgi_request)]


@pytest.mark.parametrize(
    "criteria",
    [
        "A | 50 | chấm tay\nB | 40 | chấm tay",  # 90
        "A | 60 | chấm tay\nB | 50 | chấm tay",  # 110
        "A | 120 | chấm tay\nB | -20 | chấm tay",  # adds up, one negative
        "A | Infinity | chấm tay\nB | 0 | chấm tay",
        "A | NaN | chấm tay\nB | 100 | chấm tay",
        "A | sNaN | chấm tay",
        "A | 1e400 | chấm tay",
        "A | 33,333 | chấm tay\nB | 33,333 | chấm tay\nC | 33,334 | chấm tay",
        "A | 100 | chấm tay | thưởng",  # only a bonus: no ordinary criteria add up to 100
    ],
)
def test_weights_that_do_not_add_up_are_refused_on_the_page(
    world: Any, as_user: Any, cluster: Any, criteria: str
) -> None:
    shown = _post(as_user, cluster, criteria)
    assert not ScoringTable.objects.exists(), shown
    assert shown and any(ch in " ".join(shown) for ch in "ơưđảệố"), shown


def test_weights_that_add_up_are_saved(world: Any, as_user: Any, cluster: Any) -> None:
    _post(as_user, cluster, "A | 33,33 | chấm tay\nB | 66,67 | chấm tay\nC | 5 | chấm tay | thưởng")
    table = ScoringTable.objects.get()
    assert sum(c.weight for c in table.criteria.filter(kind="weighted")) == 100


@pytest.mark.parametrize("weight", ["Infinity", "-Infinity", "NaN", "sNaN", "1e400", "33.333"])
def test_check_weights_refuses_weights_that_cannot_be_kept(weight: str) -> None:
    from decimal import Decimal

    from khoi.lib import ranking

    specs = [ranking.CriterionSpec(0, "A", ranking.WEIGHTED, Decimal(weight))]
    with pytest.raises(ranking.TableRefused, match=r"Tiêu chí|Trọng số"):
        ranking.check_weights(specs, Decimal(100))
