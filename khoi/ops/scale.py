"""The scale generator's registry: each app offers a generator that fills its own tables for
the communes made so far, with bulk inserts, reproducibly from one seed.

An app adds its generator in its ``AppConfig.ready()``::

    from khoi.ops.scale import register_generator
    register_generator("fund", generate_fund, after=("org",))

A generator is called once per province with a ``ScaleContext`` (the province's communes,
their offices, organizations and staff, a random generator seeded from the seed and the
province, the year, the per-commune densities) and returns the number of rows per model it
wrote. Generators run in registration order after the ones named in ``after``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The national preset (issue #14): 34 provinces, 3,321 communes; per year about 1M
# activities, 3M tasks, 500,000 petitions and 100,000 documents.
NATIONAL_PROVINCES = 34
NATIONAL_COMMUNES = 3321
NATIONAL_PER_YEAR = {
    "activities": 1_000_000,
    "tasks": 3_000_000,
    "petitions": 500_000,
    "documents": 100_000,
}


def per_commune(name: str) -> int:
    return round(NATIONAL_PER_YEAR[name] / NATIONAL_COMMUNES)


@dataclass
class ScaleContext:
    seed: int
    year: int
    province: Any  # org.AdminUnit
    communes: list[Any]
    density: dict[str, int]
    rng: random.Random
    # filled by generators for the ones after them: commune pk → objects
    offices: dict[int, Any] = field(default_factory=dict)
    organizations: dict[int, list[Any]] = field(default_factory=dict)
    staff: dict[int, list[Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


Generator = Callable[[ScaleContext], dict[str, int]]


@dataclass(frozen=True)
class Registered:
    name: str
    func: Generator
    after: tuple[str, ...]


_REGISTRY: list[Registered] = []


def register_generator(name: str, func: Generator, after: tuple[str, ...] = ()) -> None:
    if any(r.name == name for r in _REGISTRY):
        return  # ready() may run twice in tests
    _REGISTRY.append(Registered(name, func, after))


def ordered_generators() -> list[Registered]:
    """Registration order, each after the generators it names."""
    done: list[Registered] = []
    pending = list(_REGISTRY)
    while pending:
        for item in pending:
            names = {r.name for r in done}
            if all(a in names or a not in {r.name for r in _REGISTRY} for a in item.after):
                done.append(item)
                pending.remove(item)
                break
        else:
            raise ValueError(f"generators wait for each other: {[r.name for r in pending]}")
    return done
