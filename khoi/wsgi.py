from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
os.environ["KHOI_PROCESS"] = "web"  # the statement timeout applies (settings.py)
application = get_wsgi_application()

# With KHOI_DEBUG=0 the server refuses to start without its own field and audit keys.
from khoi.ops.checks import refuse_to_start_without_secrets  # noqa: E402

refuse_to_start_without_secrets()
