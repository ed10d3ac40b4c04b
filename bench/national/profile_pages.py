"""Service time and queries of the load test's pages, one request at a time, through Django's
test client (no web server, no concurrency): where a page spends its time at national size.

    KHOI_DATABASE_URL=postgres://postgres@127.0.0.1:5440/khoi_national \\
    KHOI_CLOCK_DATE=2026-06-15 .venv/bin/python bench/national/profile_pages.py [--repeat 4]

(with the keys the national database was generated with, e.g. from its run's ``keys.json``).
Prints, per persona and page, the median wall time of ``--repeat`` requests, the number of
queries, their total time and the three slowest statements.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoi.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# the pages of bench/load/locustfile.py, per persona
PAGES = {
    "canbo": ["/work/tasks/mine/", "/work/activities/", "/work/activities/calendar/",
              "/meetings/", "/work/tasks/board/"],
    "truongkhoi": ["/", "/documents/reports/", "/petitions/statistics/", "/work/tasks/overdue/",
                   "/campaigns/"],
    "phuongha-an": ["/", "/work/activities/", "/campaigns/"],
}  # fmt: skip
# the API client of the load test (a token of canbo): these lists
API = ["/api/v1/activities", "/api/v1/tasks", "/api/v1/meetings"]
# the reporter's campaign pages, found as the load test finds them (links of the list)
CAMPAIGN = re.compile(r'href="(/campaigns/\d+/)"')
ENTRY = re.compile(r'href="(/campaigns/\d+/entry/\d+/[^/"]+/)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--only", default="", help="only the pages containing this text")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    users = get_user_model().objects
    for login, listed in PAGES.items():
        client = Client()
        client.force_login(users.get(username=login))
        pages = list(listed)
        if login == "phuongha-an":
            listing = client.get("/campaigns/", secure=True).content.decode()
            first = next(iter(CAMPAIGN.findall(listing)), None)
            if first:
                pages.append(first)
                entry = next(
                    iter(ENTRY.findall(client.get(first, secure=True).content.decode())), None
                )
                pages += [entry] if entry else []
        if login == "canbo":
            pages += API
        for page in pages:
            if args.only and args.only not in page:
                continue
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    status = client.get(page, secure=True).status_code
                    times.append(time.perf_counter() - start)
            queries = ctx.captured_queries
            sql_ms = sum(float(q["time"]) for q in queries) * 1000
            median_ms = statistics.median(times) * 1000
            print(f"{login:12s} {page:28s} {status} median {median_ms:6.0f} ms"
                  f"  {len(queries):2d} queries  sql {sql_ms:6.0f} ms")  # fmt: skip
            for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"      {float(q['time']) * 1000:6.0f} ms  {q['sql'][:220]}")


if __name__ == "__main__":
    main()
