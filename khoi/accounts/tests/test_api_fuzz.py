"""Issue #9: schemathesis over the whole OpenAPI with a staff token gives no 5xx.

Every operation of ``/api/v1/`` gets ``EXAMPLES`` generated requests (valid and invalid
bodies, query values, path ids), derandomized so that a failure repeats; the only check is
that nothing answers 5xx. Bounded to stay well under two minutes on the CI machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from khoi.accounts import services
from khoi.api import api
from khoi.testing.factories import World

EXAMPLES = 6

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


@pytest.fixture
def staff_key(world: World) -> Iterator[str]:
    """A staff member's API key. Requests go through Django's WSGI handler, whose start and
    end of a request would close the test's database connection: keep it, as Django's test
    client does."""
    _token, key = services.do_create_api_token(world.users["staff"], "fuzz")
    hooks = (signals.request_started, signals.request_finished)
    for hook in hooks:
        hook.disconnect(close_old_connections)
    try:
        yield key
    finally:
        for hook in hooks:
            hook.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx(case: Any, staff_key: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {staff_key}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300} → "
        f"{response.status_code}"
    )
