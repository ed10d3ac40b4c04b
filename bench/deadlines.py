"""Deadline computations per second: mixed rules, random starts over 2015–2030.

Usage: ``python bench/deadlines.py [--n 20000] [--repeat 5] [--seed 1]``

Three figures, each over the same ``n`` random requests (rule, start, allowed
extensions):

- first pass in the process: empty holiday cache and the ``holidays`` package's
  Vietnam module not yet loaded (what the first request after a deploy pays);
- cold cache: holiday tables cleared (``clear_holiday_cache()``), package loaded;
- warm cache: best of ``repeat`` passes with every year cached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from khoi.lib.workdays import (
    RULE_TABLE,
    WorkCalendar,
    clear_holiday_cache,
    compute_deadline,
    public_holidays,
)

Request = tuple[str, dt.date, int]


def make_requests(n: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    first, last = dt.date(2015, 1, 1).toordinal(), dt.date(2030, 12, 31).toordinal()
    out = []
    for _ in range(n):
        rule = rng.choice(RULE_TABLE)
        start = dt.date.fromordinal(rng.randint(first, last))
        out.append((rule.id, start, rng.randint(0, rule.version_on(start).max_extensions)))
    return out


def one_pass(requests: list[Request], calendar: WorkCalendar) -> float:
    t0 = time.perf_counter()
    for rule_id, start, extensions in requests:
        compute_deadline(rule_id, start, extensions, calendar)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    requests = make_requests(args.n, args.seed)
    calendar = WorkCalendar()
    first = one_pass(requests, calendar)
    clear_holiday_cache()
    cold = one_pass(requests, calendar)
    warm = min(one_pass(requests, calendar) for _ in range(args.repeat))
    clear_holiday_cache()
    small = requests[:1000]
    cold_small = one_pass(small, calendar)
    warm_small = min(one_pass(small, calendar) for _ in range(args.repeat))
    clear_holiday_cache()
    years = range(2015, 2032)
    t0 = time.perf_counter()
    for year in years:
        public_holidays(year)
    per_year = (time.perf_counter() - t0) / len(years)

    print(
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(f"{args.n} deadlines, {len(RULE_TABLE)} rules, starts 2015–2030, seed {args.seed}")
    for label, seconds in (
        ("first pass in process", first),
        ("cold holiday cache", cold),
        (f"warm cache (best of {args.repeat})", warm),
    ):
        print(f"  {label:<28} {args.n / seconds:>10,.0f} /s  ({seconds * 1000:8.1f} ms)")
    print(f"{len(small)} deadlines (the year tables weigh more):")
    for label, seconds in (
        ("cold holiday cache", cold_small),
        (f"warm cache (best of {args.repeat})", warm_small),
    ):
        print(f"  {label:<28} {len(small) / seconds:>10,.0f} /s  ({seconds * 1000:8.1f} ms)")
    print(f"holiday table build: {per_year * 1000:.2f} ms per year (cached once per process)")


if __name__ == "__main__":
    main()
