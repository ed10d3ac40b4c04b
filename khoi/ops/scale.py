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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    # the fund: about 100 ledger entries and 150 registered households per commune fund
    "fund_entries": 332_100,
    "households": 498_150,
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


@dataclass(frozen=True)
class UnitTree:
    """The synthetic unit tree, offered by the app holding the units (org):
    ``exists()`` whether generated units are already there; ``provinces(count)`` makes that
    many provinces; ``communes(province, numbers)`` makes one commune per number under it."""

    exists: Callable[[], bool]
    provinces: Callable[[int], list[Any]]
    communes: Callable[[Any, range], list[Any]]


_UNIT_TREES: list[UnitTree] = []


def register_unit_tree(tree: UnitTree) -> None:
    if not _UNIT_TREES:
        _UNIT_TREES.append(tree)


def unit_tree() -> UnitTree:
    if not _UNIT_TREES:
        raise LookupError("No app offers the unit tree (khoi.org registers it).")
    return _UNIT_TREES[0]


@contextmanager
def fixed_timestamps(moment: Any) -> Iterator[None]:
    """Every ``auto_now`` / ``auto_now_add`` column (``created_at``…) takes ``moment`` instead
    of the wall clock while generating, so that the same seed gives the same rows, byte for
    byte (``fund`` dates its ledger the same way)."""
    from django.apps import apps

    changed: list[tuple[Any, bool, bool, Any]] = []
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add, f.default))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
                f.default = moment
                f.__dict__.pop("_get_default", None)  # a cached property of the default
    try:
        yield
    finally:
        for f, now, now_add, default in changed:
            f.auto_now, f.auto_now_add, f.default = now, now_add, default
            f.__dict__.pop("_get_default", None)


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


# --- writing rows -----------------------------------------------------------------------------

BATCH = 5000
# fields whose Python value PostgreSQL's COPY takes as it is (others go through
# ``get_db_prep_save``: JSON, UUID…)
_PLAIN = (
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField",
    "DateTimeField", "DecimalField", "FloatField", "ForeignKey", "IntegerField", "OneToOneField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SlugField", "SmallIntegerField", "TextField",
)  # fmt: skip


def maker(model: Any) -> Callable[..., Any]:
    """A fast constructor of unsaved ``model`` instances for ``bulk_insert``: keyword
    arguments by attribute name (``office_id=…``, not ``office=…``), every other concrete
    field its default. ``Model(**kwargs)`` looks every field up, calls ``get_default``, goes
    through the related-object descriptors and sends two signals; for a model nobody listens
    to (``pre_init``/``post_init``) this fills the instance's attributes directly, as
    ``Model.__init__`` would — it matters for the millions of tasks and activities of
    ``generate_scale --national``."""
    from django.db.models import NOT_PROVIDED
    from django.db.models.base import ModelState
    from django.db.models.signals import post_init, pre_init

    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    fixed: dict[str, Any] = {}
    fresh: dict[str, Any] = {}  # callable defaults: one value per instance
    for f in fields:
        if f.default is NOT_PROVIDED:
            fixed[f.attname] = None if (f.null or f.primary_key) else f.get_default()
        elif callable(f.default):
            fresh[f.attname] = f.default
        else:
            fixed[f.attname] = f.default
    known = set(names)
    listened = pre_init.has_listeners(model) or post_init.has_listeners(model)
    new = object.__new__

    def make(**values: Any) -> Any:
        if not values.keys() <= known:
            raise TypeError(f"{model.__name__} has no field {sorted(values.keys() - known)}")
        data = {**fixed, **{n: f() for n, f in fresh.items()}, **values}
        if listened:
            return model(*[data[n] for n in names])
        obj = new(model)
        obj._state = ModelState()
        obj.__dict__.update(data)
        return obj

    return make


def reserve_ids(model: Any, count: int, using: str = "default") -> list[int]:
    """``count`` primary keys for ``model`` taken from its sequence (PostgreSQL), so that rows
    written by COPY can be pointed at before they exist. Elsewhere: an empty list (the rows
    get their keys from ``bulk_create``)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql" or count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def bulk_insert(model: Any, objs: list[Any], using: str = "default") -> int:
    """Write unsaved model instances as fast as the engine allows; every instance has its
    primary key afterwards.

    PostgreSQL: keys from the table's sequence (``reserve_ids``), then ``COPY … FROM
    STDIN``. Other engines: ``bulk_create`` in batches. ``auto_now_add`` fields are filled
    as ``save()`` fills them; other ``save()`` logic is the caller's (as with
    ``bulk_create``).
    """
    from django.db import connections

    if not objs:
        return 0
    connection = connections[using]
    if connection.vendor != "postgresql":
        model.objects.using(using).bulk_create(objs, batch_size=BATCH)
        return len(objs)
    meta = model._meta
    missing = [o for o in objs if o.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing), using), strict=True):
        obj.pk = pk
    fields = list(meta.concrete_fields)
    auto = [f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)]
    if auto:
        # what ``pre_save`` would put there (the time now), once for the batch
        sample = objs[0]
        stamps = {f.attname: f.pre_save(sample, True) for f in auto}
        for obj in objs:
            obj.__dict__.update(stamps)
    plain = [f.attname for f in fields if f.get_internal_type() in _PLAIN]
    prepared = [f for f in fields if f.get_internal_type() not in _PLAIN]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    order = [f.attname for f in fields]
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        with raw.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            if not prepared:
                for obj in objs:
                    d = obj.__dict__
                    copy.write_row([d[name] for name in plain])
            else:
                for obj in objs:
                    d = obj.__dict__
                    values = {name: d[name] for name in plain}
                    for f in prepared:
                        values[f.attname] = f.get_db_prep_save(d[f.attname], connection)
                    copy.write_row([values[name] for name in order])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return len(objs)
