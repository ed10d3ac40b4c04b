"""``manage.py generate_scale --communes N --seed S`` (or ``--national``): a synthetic country
for benchmarks and load tests, written with bulk inserts, the same for the same seed.

Provinces get communes in turn; each commune gets the Front and five organizations, its joint
office and staff, then what every registered generator adds (khoi/ops/scale.py) at the
national densities per commune per year unless told otherwise.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from khoi import clock
from khoi.ops import scale


class Command(BaseCommand):
    help = "Generate a synthetic national dataset (reproducible from --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--communes", type=int, default=0)
        parser.add_argument("--national", action="store_true", help="34 provinces, 3,321 communes")
        parser.add_argument("--provinces", type=int, default=0, help="default: in proportion")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--year", type=int, default=0, help="default: this year")
        for name in scale.NATIONAL_PER_YEAR:
            parser.add_argument(
                f"--{name.replace('_', '-')}-per-commune",
                type=int,
                default=scale.per_commune(name),
            )

    def handle(self, *args: Any, **options: Any) -> None:
        tree = scale.unit_tree()
        communes = scale.NATIONAL_COMMUNES if options["national"] else options["communes"]
        if communes <= 0:
            raise CommandError(_("Give --communes N (at least 1) or --national."))
        provinces = options["provinces"] or (
            scale.NATIONAL_PROVINCES
            if options["national"]
            else max(1, round(scale.NATIONAL_PROVINCES * communes / scale.NATIONAL_COMMUNES))
        )
        if tree.exists():
            raise CommandError(_("This database already holds generated units; use a fresh one."))
        year = options["year"] or clock.today().year
        density = {name: options[f"{name}_per_commune"] for name in scale.NATIONAL_PER_YEAR}
        seed = options["seed"]
        started = self.started = time.monotonic()
        # one transaction: a run that fails or is killed midway leaves nothing behind
        moment = dt.datetime(year, 12, 31, 17, 0, tzinfo=dt.UTC)  # "created at", as fund's
        with transaction.atomic(), scale.fixed_timestamps(moment):
            totals = self.generate(tree, provinces, communes, seed, year, density, options)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{key} {count:,}" for key, count in sorted(totals.items()))
        self.stdout.write(
            f"Generated {provinces} provinces, {communes} communes in {elapsed:.1f}s: {summary}"
        )

    def generate(
        self,
        tree: scale.UnitTree,
        provinces: int,
        communes: int,
        seed: int,
        year: int,
        density: dict[str, int],
        options: dict[str, Any],
    ) -> dict[str, int]:
        provinces_made = tree.provinces(provinces)
        totals: dict[str, int] = {"org.AdminUnit": provinces + communes}
        generators = scale.ordered_generators()
        for index, province in enumerate(provinces_made):
            share = range(index, communes, provinces)  # communes dealt in turn
            with transaction.atomic():  # a savepoint per province
                made = tree.communes(province, share)
                ctx = scale.ScaleContext(
                    seed=seed,
                    year=year,
                    province=province,
                    communes=made,
                    density=density,
                    rng=random.Random(f"{seed}:{province.code}"),
                )
                for generator in generators:
                    for key, count in generator.func(ctx).items():
                        totals[key] = totals.get(key, 0) + count
            if options["verbosity"] >= 2:
                self.stdout.write(
                    f"{province.name}: {len(made)} communes "
                    f"({time.monotonic() - self.started:.0f}s since the start)",
                )
        return totals
