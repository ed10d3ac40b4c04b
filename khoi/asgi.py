from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")
os.environ["KHOI_PROCESS"] = "web"  # the statement timeout applies (settings.py)
application = get_asgi_application()
