from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
os.environ["KHOI_PROCESS"] = "web"  # the statement timeout applies (settings.py)
application = get_wsgi_application()

# With KHOI_DEBUG=0 the server refuses to start without its own field and audit keys.
from khoi.ops.checks import refuse_to_start_without_secrets  # noqa: E402

refuse_to_start_without_secrets()


def _warm() -> None:
    """Import every view now (the URL resolver), not on a worker's first requests; with
    gunicorn's ``preload_app`` this runs once in the master and every worker forks warm.
    No database connection may survive into the fork: Django opens them lazily, and any a
    module opened while being imported is closed here."""
    from django.db import connections
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports khoi.urls and every app's views)
    resolver._populate()
    connections.close_all()


_warm()
