"""gunicorn settings for Khối (used by deploy/systemd/khoi-web.service and `make prod-check`).

Every value can be changed through the environment of the service (see khoi.env.example).
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "khoi.wsgi:application"
bind = os.environ.get("KHOI_BIND", "127.0.0.1:8001").split(",")
workers = int(os.environ.get("KHOI_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("KHOI_WEB_THREADS", "2"))
worker_class = "gthread"
# A request that takes longer is killed and answered 502 by nginx; the database's own
# statement timeout (KHOI_STATEMENT_TIMEOUT_MS) ends slow queries before this.
timeout = int(os.environ.get("KHOI_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a server down (0: never).
max_requests = int(os.environ.get("KHOI_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load Django and every view once in the master (khoi/wsgi.py warms the URL resolver), then
# fork the workers from it: a worker recycled by max_requests answers at once. Without it the
# new worker imported Django and, on its first requests, every view module while the
# requests queued on its socket waited: on 2 busy cores 5-20 s (bench/README.md, "Session 6").
# Code changes therefore need `systemctl restart khoi-web`; a HUP only re-forks the workers.
preload_app = os.environ.get("KHOI_WEB_PRELOAD", "1") != "0"
# nginx on the same machine sets X-Forwarded-Proto and X-Real-IP; trust only it.
forwarded_allow_ips = os.environ.get("KHOI_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("KHOI_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("KHOI_LOG_LEVEL", "info").lower()
# No personal data in access logs: path and status only, never the query string.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
