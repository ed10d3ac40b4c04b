"""Every change to the Fund for the Poor: funds, campaigns, ledger entries.

The ledger is append-only. Posting locks the fund row (``select_for_update``), so two
expenditures posted at once cannot both pass the balance check, and the per-fund hash
chain and the per-year number series stay gapless. A mistake is corrected by
``do_reverse_entry``, which posts the opposite amount naming the entry it reverses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from hmac import digest as _hmac_digest
from json.encoder import encode_basestring as _json_str
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext as _

from khoi import clock
from khoi.audit import services as audit
from khoi.fund.models import (
    GENESIS_HASH,
    HASHED_FIELDS,
    Campaign,
    Entry,
    Fund,
    Household,
    HousingCase,
    MatchDecision,
    PovertyStandard,
    PovertyStatus,
    Support,
    ledger_key,
)
from khoi.org.models import AdminUnit, JointOffice

NUMBER_PREFIX = {Entry.Kind.RECEIPT: "PT", Entry.Kind.EXPENDITURE: "PC", Entry.Kind.REVERSAL: "DC"}


def vnd(amount: int) -> str:
    """1250000 → "1.250.000"."""
    return f"{amount:,}".replace(",", ".")


def _office_id(fund: Fund) -> int | None:
    return fund.office_id


def do_create_fund(
    actor: Any,
    *,
    name: str,
    unit: AdminUnit,
    level: str,
    office: JointOffice | None = None,
    requires_donor: bool = False,
    requires_campaign: bool = False,
    running_cost_cap_percent: int = 5,
) -> Fund:
    if level not in Fund.Level.values:
        raise ValidationError({"level": _("The fund level is not valid.")})
    if not 0 <= running_cost_cap_percent <= 100:
        raise ValidationError(
            {"running_cost_cap_percent": _("The running costs cap must be between 0 and 100 %.")}
        )
    if errors := fund_unit_errors(unit, level, office):
        raise ValidationError(errors)
    if Fund.objects.filter(unit=unit, level=level).exists():
        raise ValidationError({"unit": _("This unit already has a fund at this level.")})
    if not name.strip():
        raise ValidationError({"name": _("Enter the name of the fund.")})
    fund = Fund(
        name=name.strip(),
        unit=unit,
        level=level,
        office=office,
        requires_donor=requires_donor,
        requires_campaign=requires_campaign,
        running_cost_cap_percent=running_cost_cap_percent,
    )
    audit.create(actor, fund, "fund.create", office_id=office.pk if office else None)
    return fund


def do_add_accountant(actor: Any, fund: Fund, user: Any) -> None:
    with transaction.atomic():
        fund.accountants.add(user)
        audit.record(
            actor, "fund.accountant.add", fund, {"user": user.pk}, office_id=_office_id(fund)
        )


def do_create_campaign(
    actor: Any, fund: Fund, *, name: str, start_on: datetime.date, end_on: datetime.date
) -> Campaign:
    if not name.strip():
        raise ValidationError({"name": _("Enter the name of the campaign.")})
    if end_on < start_on:
        raise ValidationError({"end_on": _("The end date must not be before the start date.")})
    campaign = Campaign(fund=fund, name=name.strip(), start_on=start_on, end_on=end_on)
    audit.create(actor, campaign, "fund.campaign.create", office_id=_office_id(fund))
    return campaign


LEVEL_OF_UNIT = {1: Fund.Level.PROVINCE, 2: Fund.Level.TOWN, 3: Fund.Level.COMMUNE}


def fund_unit_errors(unit: AdminUnit, level: str, office: JointOffice | None) -> dict[str, str]:
    """A fund's unit must be of its level, and within its office's territory."""
    errors: dict[str, str] = {}
    if LEVEL_OF_UNIT.get(unit.level) != level:
        errors["level"] = _("The level of the fund does not match its unit.")
    if (
        office is not None
        and not AdminUnit.objects.subtree(office.unit).filter(pk=unit.pk).exists()
    ):
        errors["unit"] = _("The unit is outside the office's territory.")
    return errors


def do_update_fund(
    actor: Any,
    fund: Fund,
    *,
    name: str,
    requires_donor: bool,
    requires_campaign: bool,
    running_cost_cap_percent: int,
) -> dict[str, list[Any]]:
    """Change a fund's settings (never its unit, level or ledger), audited."""
    if not name.strip():
        raise ValidationError({"name": _("Enter the name of the fund.")})
    if not 0 <= running_cost_cap_percent <= 100:
        raise ValidationError(
            {"running_cost_cap_percent": _("The running costs cap must be between 0 and 100 %.")}
        )
    data = {"name": name.strip(), "requires_donor": requires_donor,
            "requires_campaign": requires_campaign,
            "running_cost_cap_percent": running_cost_cap_percent}  # fmt: skip
    return audit.update_fields(actor, fund, data, "fund.update", office_id=_office_id(fund))


def do_set_accountants(actor: Any, fund: Fund, users: list[Any]) -> None:
    """The fund's accountants become ``users``; each one added or removed is audited."""
    wanted = {u.pk: u for u in users}
    with transaction.atomic():
        current = {u.pk: u for u in fund.accountants.all()}
        for pk, user in wanted.items():
            if pk not in current:
                fund.accountants.add(user)
                audit.record(actor, "fund.accountant.add", fund, {"user": pk},
                             office_id=_office_id(fund))  # fmt: skip
        for pk, user in current.items():
            if pk not in wanted:
                fund.accountants.remove(user)
                audit.record(actor, "fund.accountant.remove", fund, {"user": pk},
                             office_id=_office_id(fund))  # fmt: skip


def do_update_campaign(
    actor: Any, campaign: Campaign, *, name: str, start_on: datetime.date, end_on: datetime.date
) -> dict[str, list[Any]]:
    if not name.strip():
        raise ValidationError({"name": _("Enter the name of the campaign.")})
    if end_on < start_on:
        raise ValidationError({"end_on": _("The end date must not be before the start date.")})
    data = {"name": name.strip(), "start_on": start_on, "end_on": end_on}
    return audit.update_fields(
        actor, campaign, data, "fund.campaign.update", office_id=_office_id(campaign.fund)
    )


# --- balances -------------------------------------------------------------------------------


def balance(fund: Fund, until: datetime.date | None = None) -> int:
    """The fund's balance: the sum of all its entries (up to ``until`` included)."""
    qs = Entry.objects.filter(fund=fund)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return _sum(qs)


def _sum(qs: Any) -> int:
    plus = qs.aggregate(
        p=Sum("amount", filter=Q(sign=1), default=0), m=Sum("amount", filter=Q(sign=-1), default=0)
    )
    return int(plus["p"]) - int(plus["m"])


@dataclass(frozen=True)
class PeriodBalance:
    opening: int
    receipts: int
    expenditures: int
    closing: int
    current: int = 0  # the fund's balance today (every entry, also after the period)
    entries: int = 0  # the number of entries dated in the period (the ledger page's count)


def period_balance(fund: Fund, start: datetime.date, end: datetime.date) -> PeriodBalance:
    """Opening balance, money in, money out, closing balance of a period, the fund's
    current balance and the number of entries of the period (one query).

    Reversals count on the side of the entry they reverse, with the opposite sign, so a
    reversed receipt lowers the period's receipts.
    """
    period = Q(date__gte=start, date__lte=end)
    agg = Entry.objects.filter(fund=fund).aggregate(
        before_in=Sum("amount", filter=Q(date__lt=start, sign=1), default=0),
        before_out=Sum("amount", filter=Q(date__lt=start, sign=-1), default=0),
        rec=Sum("amount", filter=period & Q(kind=Entry.Kind.RECEIPT), default=0),
        exp=Sum("amount", filter=period & Q(kind=Entry.Kind.EXPENDITURE), default=0),
        rev_in=Sum("amount", filter=period & Q(kind=Entry.Kind.REVERSAL, sign=-1), default=0),
        rev_out=Sum("amount", filter=period & Q(kind=Entry.Kind.REVERSAL, sign=1), default=0),
        all_in=Sum("amount", filter=Q(sign=1), default=0),
        all_out=Sum("amount", filter=Q(sign=-1), default=0),
        n=Count("pk", filter=period),
    )
    opening = int(agg["before_in"]) - int(agg["before_out"])
    receipts = int(agg["rec"]) - int(agg["rev_in"])
    expenditures = int(agg["exp"]) - int(agg["rev_out"])
    current = int(agg["all_in"]) - int(agg["all_out"])
    return PeriodBalance(opening, receipts, expenditures, opening + receipts - expenditures,
                         current, int(agg["n"]))  # fmt: skip


# --- posting --------------------------------------------------------------------------------


def _check_amount(amount: Any) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({"amount": _("The amount must be a whole number of dong.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than 0.")})
    if amount > 10**15:
        raise ValidationError({"amount": _("The amount is too large.")})
    return amount


def date_error(date: Any, field_label: str) -> str | None:
    """Why an entry cannot carry ``date`` (None if it can): not a date, or after today (the
    one clock). ``field_label`` names the field in the message."""
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        return _("%(field)s: enter a date.") % {"field": field_label}
    today = clock.today()
    if date > today:
        return _(
            "%(field)s (%(date)s) is after today (%(today)s): an entry cannot be dated in "
            "the future."
        ) % {"field": field_label, "date": date.strftime("%d/%m/%Y"),
             "today": today.strftime("%d/%m/%Y")}  # fmt: skip
    return None


def _check_date(date: Any, field: str = "date") -> datetime.date:
    if message := date_error(date, _("The entry date")):
        raise ValidationError({field: message})
    return date


def lowest_balance_from(fund: Fund, date: datetime.date) -> tuple[int, datetime.date]:
    """The lowest balance the fund has on ``date`` or any later day (``balance(until=d)``
    for every d >= date), and the first day it is reached; one query."""
    opening = Q(date__lt=date)
    agg = Entry.objects.filter(fund=fund).aggregate(
        p=Sum("amount", filter=opening & Q(sign=1), default=0),
        m=Sum("amount", filter=opening & Q(sign=-1), default=0),
    )
    running = int(agg["p"]) - int(agg["m"])
    days = (
        Entry.objects.filter(fund=fund, date__gte=date)
        .values("date")
        .annotate(
            p=Sum("amount", filter=Q(sign=1), default=0),
            m=Sum("amount", filter=Q(sign=-1), default=0),
        )
        .order_by("date")
    )
    rows = list(days)
    # the balance on ``date`` itself counts that day's entries; with none, the opening one
    lowest: int | None = None if rows and rows[0]["date"] == date else running
    on = date
    for day in rows:
        running += int(day["p"]) - int(day["m"])
        if lowest is None or running < lowest:
            lowest, on = running, day["date"]
    assert lowest is not None
    return lowest, on


def _check_money_out(fund: Fund, amount: int, date: datetime.date, message: str) -> None:
    """Money going out on ``date`` must leave no day from ``date`` on with a negative
    balance (a back-dated expenditure is checked against every later day too)."""
    lowest, on = lowest_balance_from(fund, date)
    if amount > lowest:
        raise ValidationError({"amount": message % {
            "amount": vnd(amount), "balance": vnd(max(lowest, 0)),
            "day": on.strftime("%d/%m/%Y")}})  # fmt: skip


def _check_poster(actor: Any, fund: Fund) -> None:
    if actor is None:
        return  # system (demo, imports run by a command)
    # roles only: a site administrator who is not the fund's accountant does not post
    if not fund.accountants.filter(pk=actor.pk).exists():
        raise ValidationError(_("Only the fund's accountants post entries."))


def _append(actor: Any, fund: Fund, entry: Entry, action: str) -> Entry:
    """Append ``entry`` to the locked ``fund``'s chain and audit it."""
    entry.fund = fund
    entry.seq = fund.last_seq + 1
    entry.prev_hash = fund.last_hash
    entry.created_by = actor if getattr(actor, "pk", None) else None
    entry.created_at = clock.now()
    if entry.kind != Entry.Kind.REVERSAL or not entry.number:
        year = entry.date.year
        last = (
            Entry.objects.filter(fund=fund, kind=entry.kind, date__year=year)
            .order_by("-year_seq")
            .values_list("year_seq", flat=True)
            .first()
        )
        entry.year_seq = (last or 0) + 1
        entry.number = f"{entry.year_seq:04d}/{NUMBER_PREFIX[Entry.Kind(entry.kind)]}-{year}"
    entry.hash = entry.compute_hash()
    entry.save()
    fund.last_seq = entry.seq
    fund.last_hash = entry.hash
    Fund.objects.filter(pk=fund.pk).update(last_seq=entry.seq, last_hash=entry.hash)
    audit.record(
        actor,
        action,
        entry,
        {"amount": entry.signed_amount, "number": entry.number, "date": entry.date.isoformat()},
        office_id=_office_id(fund),
    )
    return entry


def _lock(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def receipt_errors(
    fund: Fund,
    amount: Any,
    donor_kind: str,
    donor_name: str,
    channel: str,
    campaign: Campaign | None,
) -> dict[str, str]:
    """What is wrong with a receipt before it is posted (field → Vietnamese message)."""
    errors: dict[str, str] = {}
    try:
        _check_amount(amount)
    except ValidationError as exc:
        errors["amount"] = exc.message_dict["amount"][0]
    if donor_kind not in Entry.DonorKind.values:
        errors["donor_kind"] = _("Choose the kind of donor: person, organization or anonymous.")
    elif donor_kind != Entry.DonorKind.ANONYMOUS and not donor_name.strip():
        if fund.requires_donor:
            errors["donor_name"] = _(
                "This fund requires the name of the donor (person or organization)."
            )
        else:
            errors["donor_name"] = _("Enter the donor's name (or choose anonymous).")
    if fund.requires_donor and donor_kind == Entry.DonorKind.ANONYMOUS:
        errors["donor_kind"] = _(
            "This fund requires the name of the donor (person or organization)."
        )
    if channel not in Entry.Channel.values:
        errors["channel"] = _("The payment channel is not valid.")
    if campaign is None and fund.requires_campaign:
        errors["campaign"] = _("This fund requires a campaign.")
    if campaign is not None and campaign.fund_id != fund.pk:
        errors["campaign"] = _("The campaign does not belong to this fund.")
    return errors


def do_post_receipt(
    actor: Any,
    fund: Fund,
    *,
    amount: int,
    date: datetime.date,
    donor_kind: str,
    donor_name: str = "",
    channel: str = Entry.Channel.CASH,
    campaign: Campaign | None = None,
    note: str = "",
) -> Entry:
    errors = receipt_errors(fund, amount, donor_kind, donor_name, channel, campaign)
    if message := date_error(date, _("The entry date")):
        errors["date"] = message
    if errors:
        raise ValidationError(errors)
    _check_poster(actor, fund)
    with transaction.atomic():
        locked = _lock(fund)
        entry = Entry(
            kind=Entry.Kind.RECEIPT,
            sign=1,
            amount=amount,
            date=date,
            donor_kind=donor_kind,
            donor_name="" if donor_kind == Entry.DonorKind.ANONYMOUS else donor_name.strip(),
            channel=channel,
            campaign=campaign,
            note=note.strip(),
        )
        return _append(actor, locked, entry, "fund.receipt.post")


def do_post_expenditure(
    actor: Any,
    fund: Fund,
    *,
    amount: int,
    date: datetime.date,
    purpose: str,
    beneficiary: str = "",
    decision_ref: str = "",
    note: str = "",
) -> Entry:
    amount = _check_amount(amount)
    _check_date(date)
    if purpose not in Entry.Purpose.values:
        raise ValidationError({"purpose": _("Choose the purpose of the expenditure.")})
    if purpose != Entry.Purpose.RUNNING and not (beneficiary.strip() or decision_ref.strip()):
        raise ValidationError(
            {"beneficiary": _("Name the household supported or the decision paid.")}
        )
    _check_poster(actor, fund)
    with transaction.atomic():
        locked = _lock(fund)
        _check_money_out(locked, amount, date, _(
            "The expenditure of %(amount)s dong exceeds the fund's balance (%(balance)s "
            "dong on %(day)s): the balance may not be negative on its date or any later day."
        ))  # fmt: skip
        if purpose == Entry.Purpose.RUNNING:
            _check_running_cap(locked, amount, date)
        entry = Entry(
            kind=Entry.Kind.EXPENDITURE,
            sign=-1,
            amount=amount,
            date=date,
            purpose=purpose,
            beneficiary=beneficiary.strip(),
            decision_ref=decision_ref.strip(),
            note=note.strip(),
        )
        return _append(actor, locked, entry, "fund.expenditure.post")


def _check_running_cap(fund: Fund, amount: int, date: datetime.date) -> None:
    """The year's running costs stay within the cap of the year's receipts, both net of
    reversals: a reversed receipt does not count in the base, a reversed running cost does
    not count against the cap (reversals count in the year of their own date, as in
    ``period_balance``)."""
    year = Entry.objects.filter(fund=fund, date__year=date.year)
    running = Q(purpose=Entry.Purpose.RUNNING)
    agg = year.aggregate(
        rec=Sum("amount", filter=Q(kind=Entry.Kind.RECEIPT), default=0),
        rec_rev=Sum("amount", filter=Q(kind=Entry.Kind.REVERSAL, sign=-1), default=0),
        run=Sum("amount", filter=Q(kind=Entry.Kind.EXPENDITURE) & running, default=0),
        run_rev=Sum("amount", filter=Q(kind=Entry.Kind.REVERSAL, sign=1) & running, default=0),
    )  # fmt: skip
    receipts = int(agg["rec"]) - int(agg["rec_rev"])
    cap = max(receipts, 0) * fund.running_cost_cap_percent // 100
    if int(agg["run"]) - int(agg["run_rev"]) + amount > cap:
        raise ValidationError(
            {
                "amount": _(
                    "Running costs in %(year)d exceed the cap of %(percent)d %% of the year's "
                    "receipts (%(cap)s dong)."
                )
                % {"year": date.year, "percent": fund.running_cost_cap_percent, "cap": vnd(cap)}
            }
        )


def do_reverse_entry(actor: Any, entry: Entry, *, date: datetime.date, reason: str) -> Entry:
    """Post the opposite of ``entry``, naming it; an entry is reversed at most once."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason of the reversal.")})
    if entry.kind == Entry.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot be reversed; post a new entry instead."))
    fund = entry.fund
    _check_date(date)
    _check_poster(actor, fund)
    with transaction.atomic():
        locked = _lock(fund)
        if Entry.objects.filter(reverses=entry).exists():
            raise ValidationError(
                _("Entry %(number)s has already been reversed.") % {"number": entry.number}
            )
        if entry.sign == 1:
            _check_money_out(locked, entry.amount, date, _(
                "This receipt cannot be reversed: the fund's balance is not enough "
                "(%(balance)s dong on %(day)s for %(amount)s dong)."
            ))  # fmt: skip
        from khoi.fund.housing import on_entry_reversal

        on_entry_reversal(actor, entry)  # a tranche: its case steps back, or it is refused
        reversal = Entry(
            kind=Entry.Kind.REVERSAL,
            sign=-entry.sign,
            amount=entry.amount,
            date=date,
            reverses=entry,
            purpose=entry.purpose,
            campaign=entry.campaign,
            note=_("Reversal of %(number)s: %(reason)s")
            % {"number": entry.number, "reason": reason.strip()},
        )
        return _append(actor, locked, reversal, "fund.entry.reverse")


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerProblem:
    fund_id: int
    fund_name: str
    seq: int
    number: str
    reason: str  # "missing", "broken-link", "altered", "added"
    resealed_from: int = 0  # the chain was recomputed without the key from this entry on


# The JSON body ``models.chain_hash`` hashes (``json.dumps(payload, sort_keys=True,
# ensure_ascii=False)``), written out field by field: the keys in sorted order, strings
# through the json module's own (C) string encoder, integers and null as json writes them.
# ``test_ledger`` checks it gives the same bytes as ``chain_hash`` on awkward values.
_BODY = (
    '{"amount": %d, "beneficiary": %s, "campaign": %s, "channel": %s, "created_at": "%s", '
    '"created_by": %s, "date": "%s", "decision_ref": %s, "donor_kind": %s, "donor_name": %s, '
    '"fund": %d, "kind": %s, "note": %s, "number": %s, "purpose": %s, "reverses": %s, '
    '"seq": %d, "sign": %d}'
)


def fast_chain_hash(row: tuple[Any, ...], key: bytes | None = None) -> str:
    """``chain_hash(prev_hash, payload, key)`` of a row of ``HASHED_FIELDS`` + prev_hash."""
    (fund, seq, kind, sign, amount, number, date, donor_kind, donor_name, channel,
     campaign, purpose, beneficiary, decision_ref, reverses, note, created_by, created_at,
     prev) = row[:19]  # fmt: skip
    s = _json_str
    body = _BODY % (
        amount, s(beneficiary), "null" if campaign is None else int(campaign), s(channel),
        created_at.isoformat(), "null" if created_by is None else int(created_by),
        date.isoformat(), s(decision_ref), s(donor_kind), s(donor_name), fund, s(kind), s(note),
        s(number), s(purpose), "null" if reverses is None else int(reverses), seq, sign,
    )  # fmt: skip
    return _hmac_digest(key or ledger_key(), (prev + body).encode(), "sha256").hex()


# The same body, written by PostgreSQL: ``to_json(text)`` escapes exactly as the json
# module does with ensure_ascii=False (quote, backslash, \b \f \n \r \t, other control
# characters as lowercase \u00XX); timestamps are UTC, as Django stores and reads them.
_SQL_BODY = """
'{"amount": ' || e.amount::text
|| ', "beneficiary": ' || to_json(e.beneficiary)::text
|| ', "campaign": ' || coalesce(e.campaign_id::text, 'null')
|| ', "channel": ' || to_json(e.channel)::text
|| ', "created_at": "' || to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
   || CASE WHEN extract(microseconds FROM e.created_at)::bigint %% 1000000 <> 0
      THEN to_char(e.created_at AT TIME ZONE 'UTC', '.US') ELSE '' END || '+00:00"'
|| ', "created_by": ' || coalesce(e.created_by_id::text, 'null')
|| ', "date": "' || to_char(e.date, 'YYYY-MM-DD') || '"'
|| ', "decision_ref": ' || to_json(e.decision_ref)::text
|| ', "donor_kind": ' || to_json(e.donor_kind)::text
|| ', "donor_name": ' || to_json(e.donor_name)::text
|| ', "fund": ' || e.fund_id::text
|| ', "kind": ' || to_json(e.kind)::text
|| ', "note": ' || to_json(e.note)::text
|| ', "number": ' || to_json(e.number)::text
|| ', "purpose": ' || to_json(e.purpose)::text
|| ', "reverses": ' || coalesce(e.reverses_id::text, 'null')
|| ', "seq": ' || e.seq::text
|| ', "sign": ' || e.sign::text || '}'
"""

# Every entry in chain order, with its body written out by the database (no key there), as
# text: the UTF-8 the server sends is the bytes Python seals (no bytea hex round trip).
_SQL_ROWS = f"""
SELECT e.fund_id, e.seq, e.prev_hash, e.hash, e.prev_hash || {_SQL_BODY}
FROM fund_entry e ORDER BY e.fund_id, e.seq
"""  # noqa: S608 — only the constant body above is interpolated


def verify_ledgers(chunk_size: int = 5000) -> tuple[int, LedgerProblem | None]:
    """Recompute every fund's chain with the key; (entries checked, first problem or None).

    Each entry's ``hash`` is an HMAC (key: ``models.ledger_key``, from the environment,
    never in the database) of its content and the hash before it. A changed amount (or any
    other field) no longer matches its seal ("altered"), and whoever changed it cannot
    compute a new seal without the key; a deleted entry leaves a gap in the sequence
    ("missing"); entries swapped or reinserted no longer link to the hash before them
    ("broken-link"); a deleted last entry no longer matches the head kept on the fund row;
    entries beyond the fund's recorded head are "added". When the first entry whose seal
    fails was posted through the application, its amount, number and date are compared
    with the audit log (itself keyed): if the seals were recomputed from there on and a
    later entry is the one whose amount differs, that entry is named (``resealed_from``).

    On PostgreSQL the database only writes each entry's body out as text (``_SQL_ROWS``,
    streamed through a server-side cursor); Python computes every HMAC with the key and
    checks every sequence number, link and head. A fund where anything disagrees is then
    verified again from the rows' values (``_verify_range``, exactly as the service hashes),
    which alone decides and names the first problem: a body the SQL writes differently can
    only raise a suspicion, never pass a changed entry (the body is an injective writing of
    the row, and a matching HMAC means the very bytes that were sealed). Elsewhere (SQLite)
    the Python pass runs over every entry.
    """
    alias = router.db_for_read(Fund)  # the default database, or the one of ``reads_from``
    connection = connections[alias]
    if connection.vendor != "postgresql":
        checked, problem = _verify_range(None, None, chunk_size)
        return checked, _refine_with_audit(problem)
    key = ledger_key()
    digest = _hmac_digest
    heads = dict(Fund.objects.values_list("pk", "last_seq"))
    last_hashes = dict(Fund.objects.values_list("pk", "last_hash"))
    suspects: set[int] = set()
    counts: dict[int, int] = {}
    with transaction.atomic(using=alias):  # one snapshot; the server-side cursor lives in it
        with connection.cursor() as plain:
            plain.execute("SET LOCAL statement_timeout = 0")  # a maintenance command
        raw = connection.connection.cursor(name="fund_verify")
        raw.itersize = chunk_size
        raw.execute(_SQL_ROWS, {})
        fund_id, expected_seq, expected_prev = None, 1, GENESIS_HASH
        while rows := raw.fetchmany(chunk_size):
            for f, seq, prev, stored, message in rows:
                if f != fund_id:
                    if fund_id is not None:
                        counts[fund_id] = expected_seq - 1
                        if heads.get(fund_id) != expected_seq - 1 or (
                            last_hashes.get(fund_id) != expected_prev
                        ):
                            suspects.add(fund_id)
                    fund_id, expected_seq, expected_prev = f, 1, GENESIS_HASH
                if f in suspects:
                    continue
                if (
                    seq != expected_seq
                    or prev != expected_prev
                    or digest(key, message.encode(), "sha256").hex() != stored
                ):
                    suspects.add(f)
                    continue
                expected_seq += 1
                expected_prev = stored
        raw.close()
        if fund_id is not None and fund_id not in suspects:
            counts[fund_id] = expected_seq - 1
            if heads.get(fund_id) != expected_seq - 1 or last_hashes.get(fund_id) != expected_prev:
                suspects.add(fund_id)
        for pk, last_seq in heads.items():  # heads naming entries of which none is left
            if pk not in counts and pk not in suspects and last_seq:
                suspects.add(pk)
        total = Entry.objects.count()
        for suspect in sorted(suspects):
            checked, problem = _verify_range(suspect, suspect, chunk_size)
            if problem is not None:
                before = Entry.objects.filter(fund_id__lt=suspect).count()
                return before + checked, _refine_with_audit(problem)
    return total, None


POST_ACTIONS = ("fund.receipt.post", "fund.expenditure.post", "fund.entry.reverse")


def _refine_with_audit(problem: LedgerProblem | None) -> LedgerProblem | None:
    """An entry whose seal fails: if the seals were recomputed outside the application
    (without the key) from there on, the entry whose amount, number or date differs from
    what the audit log recorded when it was posted is the one that was changed."""
    if problem is None or problem.reason != "altered":
        return problem
    from khoi.audit.models import AuditEntry

    rows = list(
        Entry.objects.filter(fund_id=problem.fund_id, seq__gte=problem.seq)
        .order_by("seq")
        .values_list("pk", "seq", "number", "sign", "amount", "date")
    )
    posted = {
        int(object_id): changes
        for object_id, changes in AuditEntry.objects.filter(
            object_type=Entry._meta.label_lower,
            object_id__in=[str(r[0]) for r in rows],
            action__in=POST_ACTIONS,
        ).values_list("object_id", "changes")
    }
    for pk, seq, number, sign, amount, date in rows:
        was = posted.get(pk)
        if not isinstance(was, dict):
            continue
        now = {"amount": sign * amount, "number": number, "date": date.isoformat()}
        if any(was.get(k) != v for k, v in now.items()):
            if seq == problem.seq:
                return problem
            return LedgerProblem(problem.fund_id, problem.fund_name, seq, number, "altered",
                                 resealed_from=problem.seq)  # fmt: skip
    return problem


def _verify_range(
    first_fund: int | None, last_fund: int | None, chunk_size: int
) -> tuple[int, LedgerProblem | None]:
    """Verify the funds with ``first_fund <= id <= last_fund`` (all when None)."""
    columns = [*HASHED_FIELDS, "prev_hash", "hash"]
    fund_qs = Fund.objects.only("pk", "name", "last_seq", "last_hash")
    rows = Entry.objects.order_by("fund_id", "seq")
    if first_fund is not None and last_fund is not None:
        fund_qs = fund_qs.filter(pk__gte=first_fund, pk__lte=last_fund)
        rows = rows.filter(fund_id__gte=first_fund, fund_id__lte=last_fund)
    funds = {f.pk: f for f in fund_qs}
    checked = 0
    current: Fund | None = None
    expected_seq, expected_prev = 1, GENESIS_HASH

    def head_problem(fund: Fund) -> LedgerProblem | None:
        if fund.last_seq > expected_seq - 1:
            return LedgerProblem(fund.pk, fund.name, expected_seq, "", "missing")
        if fund.last_seq < expected_seq - 1:
            # entries after the head the fund recorded: written outside the application
            seq = fund.last_seq + 1
            found = Entry.objects.filter(fund_id=fund.pk, seq=seq).values_list("number")
            return LedgerProblem(fund.pk, fund.name, seq, found[0][0] if found else "", "added")
        if fund.last_hash != expected_prev:
            return LedgerProblem(fund.pk, fund.name, expected_seq - 1, "", "altered")
        return None

    ordered = sorted(funds)
    position = 0

    def missing_before(fund_id: int) -> LedgerProblem | None:
        """A fund ordered before ``fund_id`` whose head names entries but has none left."""
        nonlocal position
        while position < len(ordered) and ordered[position] < fund_id:
            pk = ordered[position]
            position += 1
            if pk not in seen and funds[pk].last_seq:
                return LedgerProblem(pk, funds[pk].name, 1, "", "missing")
        return None

    seen: set[int] = set()
    current_id = None
    key = ledger_key()

    def hash_row(row: tuple[Any, ...]) -> str:
        return fast_chain_hash(row, key)

    before_prev, prev_number = GENESIS_HASH, ""  # the hash two entries up, the last number
    # one snapshot; PostgreSQL's server-side cursor lives in it
    with transaction.atomic(using=router.db_for_read(Entry)):
        for row in rows.values_list(*columns).iterator(chunk_size=chunk_size):
            fund_id, seq = row[0], row[1]
            if fund_id != current_id:
                if current is not None and (problem := head_problem(current)):
                    return checked, problem
                if problem := missing_before(fund_id):
                    return checked, problem
                current = funds[fund_id]
                current_id = fund_id
                seen.add(fund_id)
                expected_seq, expected_prev = 1, GENESIS_HASH
                before_prev, prev_number = GENESIS_HASH, ""
            if seq != expected_seq:
                assert current is not None
                return checked, LedgerProblem(fund_id, current.name, expected_seq, "", "missing")
            if row[18] != expected_prev:
                assert current is not None
                if seq > 1 and row[18] == before_prev:
                    # this entry still links to the one two places up: the one between
                    # them was slipped in
                    return checked - 1, LedgerProblem(
                        fund_id, current.name, seq - 1, prev_number, "added"
                    )
                if (
                    seq > 1
                    and row[18] != GENESIS_HASH
                    and hash_row(row) == row[19]
                    and not Entry.objects.filter(fund_id=fund_id, hash=row[18]).exists()
                ):
                    # an intact entry linking to a hash no entry has: the one before it
                    # was changed and its own hash recomputed
                    return checked - 1, LedgerProblem(
                        fund_id, current.name, seq - 1, prev_number, "altered"
                    )
                return checked, LedgerProblem(fund_id, current.name, seq, row[5], "broken-link")
            stored = row[19]
            if hash_row(row) != stored:
                assert current is not None
                return checked, LedgerProblem(fund_id, current.name, seq, row[5], "altered")
            expected_seq += 1
            before_prev, expected_prev, prev_number = expected_prev, stored, row[5]
            checked += 1
    if current is not None and (problem := head_problem(current)):
        return checked, problem
    if problem := missing_before(max(funds, default=0) + 1):
        return checked, problem
    return checked, None


def do_import_receipts(actor: Any, fund: Fund, rows: list[dict[str, Any]]) -> list[Entry]:
    """Post every row as a receipt, all or nothing; an error names its row."""
    _check_poster(actor, fund)
    posted: list[Entry] = []
    with transaction.atomic():
        for row in rows:
            data = {k: v for k, v in row.items() if k != "row"}
            try:
                posted.append(do_post_receipt(actor, fund, **data))
            except ValidationError as exc:
                messages = "; ".join(exc.messages)
                raise ValidationError(
                    _("Row %(row)s: %(messages)s") % {"row": row["row"], "messages": messages}
                ) from None
        audit.record(
            actor, "fund.receipt.import", fund, {"rows": len(posted)}, office_id=_office_id(fund)
        )
    return posted


# --- households -------------------------------------------------------------------------------


def mask_tail(value: str, keep: int = 3) -> str:
    """ "022145245882" → "*********882"."""
    if not value:
        return ""
    return "*" * max(len(value) - keep, 0) + value[-keep:]


def _year_ok(year: Any, field: str) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
        raise ValidationError({field: _("The year is not valid.")})
    return year


def do_create_household(
    actor: Any,
    *,
    unit: AdminUnit,
    head_name: str,
    head_birth_year: int | None = None,
    address: str = "",
    area_name: str = "",
    members: list[dict[str, Any]] | None = None,
    id_number: str = "",
    phone: str = "",
    source: str = "",
) -> Household:
    from khoi.lib.households import norm_id, norm_phone
    from khoi.lib.vntext import fold, nfc
    from khoi.petitions import crypto

    errors: dict[str, str] = {}
    head = nfc(head_name or "")
    if not head:
        errors["head_name"] = _("Enter the full name of the head of household.")
    if head_birth_year is not None:
        try:
            _year_ok(head_birth_year, "head_birth_year")
        except ValidationError:
            errors["head_birth_year"] = _("The birth year is not valid.")
    kind, digits = norm_id(id_number) if id_number else ("", "")
    if id_number and not kind:
        errors["id_number"] = _(
            "An old ID card (CMND) number has 9 digits, a citizen ID (CCCD) 12."
        )
    phone_norm = norm_phone(phone) if phone else ""
    if phone and not phone_norm:
        errors["phone"] = _("The phone number is not valid.")
    if errors:
        raise ValidationError(errors)
    clean_members = [
        {"name": nfc(str(m.get("name", ""))), "birth_year": m.get("birth_year")}
        for m in (members or [])
        if isinstance(m, dict) and str(m.get("name", "")).strip()
    ]
    identity = {"id_number": digits, "phone": phone_norm}
    household = Household(
        unit=unit,
        area_name=nfc(area_name),
        head_name=head,
        head_name_folded=fold(head),
        head_birth_year=head_birth_year,
        address=nfc(address),
        members=clean_members,
        identity_token=crypto.encrypt(identity) if digits or phone_norm else "",
        id_masked=mask_tail(digits),
        phone_masked=mask_tail(phone_norm),
        source=nfc(source),
        created_at=clock.now(),
    )
    with transaction.atomic():
        household.save()
        # the audit log never holds the identity, only that it was given
        changes = {"head_name": head, "has_id": bool(digits), "has_phone": bool(phone_norm)}
        audit.record(actor, "fund.household.create", household, changes)
    return household


def standard_for_year(year: int) -> PovertyStandard | None:
    day = datetime.date(year, 1, 1)
    return (
        PovertyStandard.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def do_set_poverty_status(
    actor: Any, household: Household, *, year: int, status: str
) -> PovertyStatus:
    _year_ok(year, "year")
    if status not in PovertyStatus.Status.values:
        raise ValidationError({"status": _("The poverty status is not valid.")})
    standard = standard_for_year(year)
    if standard is None:
        raise ValidationError(
            {"year": _("No poverty standard is in force for %(year)d.") % {"year": year}}
        )
    with transaction.atomic():
        row, _created = PovertyStatus.objects.update_or_create(
            household=household, year=year, defaults={"status": status, "standard": standard}
        )
        audit.record(actor, "fund.household.status", household,
                     {"year": year, "status": status, "standard": standard.code})  # fmt: skip
    return row


def do_add_support(
    actor: Any,
    household: Household,
    *,
    year: int,
    organization: str,
    kind: str,
    amount: int,
    note: str = "",
    entry: Entry | None = None,
) -> Support:
    _year_ok(year, "year")
    if kind not in Entry.Purpose.values or kind == Entry.Purpose.RUNNING:
        raise ValidationError({"kind": _("Choose the kind of support.")})
    if not organization.strip():
        raise ValidationError({"organization": _("Name the organization that gave the support.")})
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationError({"amount": _("The amount must be a whole number, not negative.")})
    support = Support(
        household=household,
        year=year,
        organization=organization.strip(),
        kind=kind,
        amount=amount,
        note=note.strip(),
        created_at=clock.now(),
        entry=entry,
    )
    audit.create(actor, support, "fund.household.support")
    return support


def reveal_identity(user: Any, household: Household, purpose: str) -> dict[str, str]:
    """The full ID number and phone; the caller checked the role. Every view is logged."""
    from khoi.audit.models import SensitiveAccess
    from khoi.petitions import crypto

    with transaction.atomic():
        SensitiveAccess.objects.create(
            user=user, object_type="fund.household", object_id=str(household.pk),
            purpose=purpose[:200],
        )  # fmt: skip
        audit.record(user, "fund.household.identity.view", household, {"purpose": purpose[:200]})
    if not household.identity_token:
        return {"id_number": "", "phone": ""}
    data = crypto.decrypt(household.identity_token)
    return {"id_number": str(data.get("id_number", "")), "phone": str(data.get("phone", ""))}


@dataclass
class HouseholdMatch:
    other: Household
    score: float
    reasons: list[str]
    supports: list[Support]
    decision: str = ""
    # the other household's housing cases with the Fund (any status: a case proposed or
    # approved but not yet paid shows too; paid tranches are also among ``supports``)
    cases: list[HousingCase] = field(default_factory=list)


def _record(h: Household, identity: dict[str, str]) -> dict[str, Any]:
    address = ", ".join(x for x in (h.address, h.area_name) if x)
    return {
        "id": h.pk, "org": h.source, "year": None, "head_name": h.head_name,
        "birth_year": h.head_birth_year, "id_number": identity.get("id_number"),
        "phone": identity.get("phone"), "address": address,
        "unit": str(h.unit_id), "members": h.members,
    }  # fmt: skip


def find_household_matches(household: Household) -> list[HouseholdMatch]:
    """Households of the same place (its unit, or the unit it merged into or from on 1 July
    2025) judged the same by ``khoi.lib.households``, with the supports they received.
    Pairs the office marked "different" are left out; "same" ones are kept and flagged."""
    from khoi.lib.households import REASONS, UnitTree, compare, prepare
    from khoi.org.models import UnitSuccession
    from khoi.petitions import crypto

    links = list(
        UnitSuccession.objects.filter(
            Q(former=household.unit_id) | Q(current=household.unit_id)
        ).values_list("former_id", "current_id")
    )
    units = {household.unit_id} | {a for a, _ in links} | {b for _, b in links}
    for a, b in list(
        UnitSuccession.objects.filter(current__in=units).values_list("former_id", "current_id")
    ):
        units |= {a, b}
        links.append((a, b))
    successors: dict[str, list[str]] = {}
    for a, b in links:
        successors.setdefault(str(a), []).append(str(b))
    tree = UnitTree(successors=successors)

    def ident(h: Household) -> dict[str, str]:
        return crypto.decrypt(h.identity_token) if h.identity_token else {}

    me = prepare(_record(household, ident(household)), tree, 0)
    decisions = {
        (d.first_id, d.second_id): d.decision
        for d in MatchDecision.objects.filter(Q(first=household) | Q(second=household))
    }
    out: list[HouseholdMatch] = []
    candidates = Household.objects.filter(unit_id__in=units).exclude(pk=household.pk)
    cases = HousingCase.objects.select_related("fund").order_by("-year")
    rows = candidates.prefetch_related("supports", Prefetch("cases", queryset=cases))
    for i, other in enumerate(rows[:5000], start=1):
        key = (min(household.pk, other.pk), max(household.pk, other.pk))
        decision = decisions.get(key, "")
        if decision == MatchDecision.Decision.DIFFERENT:
            continue
        result = compare(me, prepare(_record(other, ident(other)), tree, i), tree, None)
        if result is None and decision != MatchDecision.Decision.SAME:
            continue
        reasons = [REASONS[c] for c in result.reasons] if result else []
        out.append(HouseholdMatch(other, result.score if result else 1.0, reasons,
                                  list(other.supports.all()), decision,
                                  list(other.cases.all())))  # fmt: skip
    out.sort(key=lambda m: -m.score)
    return out


def do_decide_match(
    actor: Any, a: Household, b: Household, decision: str, reasons: list[str]
) -> MatchDecision:
    if decision not in MatchDecision.Decision.values:
        raise ValidationError(
            {"decision": _("Choose: the same household or two different households.")}
        )
    if a.pk == b.pk:
        raise ValidationError({"other": _("A household cannot be matched with itself.")})
    first, second = (a, b) if a.pk < b.pk else (b, a)
    with transaction.atomic():
        row, _created = MatchDecision.objects.update_or_create(
            first=first, second=second,
            defaults={"decision": decision, "reasons": reasons[:20], "decided_by": actor
                      if getattr(actor, "pk", None) else None, "decided_at": clock.now()},
        )  # fmt: skip
        audit.record(actor, "fund.household.match", first,
                     {"other": second.pk, "decision": decision})  # fmt: skip
    return row
