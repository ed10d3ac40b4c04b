"""Every change to the Fund for the Poor: funds, campaigns, ledger entries.

The ledger is append-only. Posting locks the fund row (``select_for_update``), so two
expenditures posted at once cannot both pass the balance check, and the per-fund hash
chain and the per-year number series stay gapless. A mistake is corrected by
``do_reverse_entry``, which posts the opposite amount naming the entry it reverses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from khoi import clock
from khoi.audit import services as audit
from khoi.fund.models import GENESIS_HASH, Campaign, Entry, Fund
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
        raise ValidationError({"level": "Cấp quỹ không hợp lệ."})
    if not 0 <= running_cost_cap_percent <= 100:
        raise ValidationError(
            {"running_cost_cap_percent": "Tỷ lệ chi hoạt động phải từ 0 đến 100."}
        )
    if Fund.objects.filter(unit=unit, level=level).exists():
        raise ValidationError({"unit": "Đơn vị này đã có quỹ ở cấp này."})
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
        raise ValidationError({"name": "Chưa nhập tên đợt vận động."})
    if end_on < start_on:
        raise ValidationError({"end_on": "Ngày kết thúc phải sau ngày bắt đầu."})
    campaign = Campaign(fund=fund, name=name.strip(), start_on=start_on, end_on=end_on)
    audit.create(actor, campaign, "fund.campaign.create", office_id=_office_id(fund))
    return campaign


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


def period_balance(fund: Fund, start: datetime.date, end: datetime.date) -> PeriodBalance:
    """Opening balance, money in, money out and closing balance of a period (one query).

    Reversals count on the side of the entry they reverse, with the opposite sign, so a
    reversed receipt lowers the period's receipts.
    """
    agg = Entry.objects.filter(fund=fund, date__lte=end).aggregate(
        before_in=Sum("amount", filter=Q(date__lt=start, sign=1), default=0),
        before_out=Sum("amount", filter=Q(date__lt=start, sign=-1), default=0),
        rec=Sum("amount", filter=Q(date__gte=start, kind=Entry.Kind.RECEIPT), default=0),
        exp=Sum("amount", filter=Q(date__gte=start, kind=Entry.Kind.EXPENDITURE), default=0),
        rev_in=Sum("amount", filter=Q(date__gte=start, kind=Entry.Kind.REVERSAL, sign=-1),
                   default=0),
        rev_out=Sum("amount", filter=Q(date__gte=start, kind=Entry.Kind.REVERSAL, sign=1),
                    default=0),
    )  # fmt: skip
    opening = int(agg["before_in"]) - int(agg["before_out"])
    receipts = int(agg["rec"]) - int(agg["rev_in"])
    expenditures = int(agg["exp"]) - int(agg["rev_out"])
    return PeriodBalance(opening, receipts, expenditures, opening + receipts - expenditures)


# --- posting --------------------------------------------------------------------------------


def _check_amount(amount: Any) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({"amount": "Số tiền phải là số nguyên đồng."})
    if amount <= 0:
        raise ValidationError({"amount": "Số tiền phải lớn hơn 0."})
    if amount > 10**15:
        raise ValidationError({"amount": "Số tiền quá lớn."})
    return amount


def _check_poster(actor: Any, fund: Fund) -> None:
    if actor is None:
        return  # system (demo, imports run by a command)
    if getattr(actor, "is_superuser", False):
        return
    if not fund.accountants.filter(pk=actor.pk).exists():
        raise ValidationError("Chỉ kế toán của quỹ được ghi sổ.")


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
        errors["donor_kind"] = "Chọn loại người ủng hộ: cá nhân, tổ chức hoặc ẩn danh."
    elif donor_kind != Entry.DonorKind.ANONYMOUS and not donor_name.strip():
        if fund.requires_donor:
            errors["donor_name"] = "Quỹ này yêu cầu ghi tên người hoặc tổ chức ủng hộ."
        else:
            errors["donor_name"] = "Chưa nhập tên người ủng hộ (hoặc chọn ẩn danh)."
    if fund.requires_donor and donor_kind == Entry.DonorKind.ANONYMOUS:
        errors["donor_kind"] = "Quỹ này yêu cầu ghi tên người hoặc tổ chức ủng hộ."
    if channel not in Entry.Channel.values:
        errors["channel"] = "Hình thức nộp không hợp lệ."
    if campaign is None and fund.requires_campaign:
        errors["campaign"] = "Quỹ này yêu cầu chọn đợt vận động."
    if campaign is not None and campaign.fund_id != fund.pk:
        errors["campaign"] = "Đợt vận động không thuộc quỹ này."
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
    if purpose not in Entry.Purpose.values:
        raise ValidationError({"purpose": "Chọn mục đích chi."})
    if purpose != Entry.Purpose.RUNNING and not (beneficiary.strip() or decision_ref.strip()):
        raise ValidationError({"beneficiary": "Ghi hộ được hỗ trợ hoặc số quyết định chi."})
    _check_poster(actor, fund)
    with transaction.atomic():
        locked = _lock(fund)
        available = balance(locked)
        if amount > available:
            raise ValidationError(
                {"amount": f"Số chi {vnd(amount)} đồng vượt số dư của quỹ ({vnd(available)} đồng)."}
            )
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
    year = Entry.objects.filter(fund=fund, date__year=date.year)
    agg = year.aggregate(
        rec=Sum("amount", filter=Q(kind=Entry.Kind.RECEIPT), default=0),
        run=Sum("amount", filter=Q(kind=Entry.Kind.EXPENDITURE, purpose=Entry.Purpose.RUNNING),
                default=0),
    )  # fmt: skip
    cap = int(agg["rec"]) * fund.running_cost_cap_percent // 100
    if int(agg["run"]) + amount > cap:
        raise ValidationError(
            {
                "amount": (
                    f"Chi hoạt động năm {date.year} vượt mức trần {fund.running_cost_cap_percent}%"
                    f" số thu trong năm ({cap:,} đồng).".replace(",", ".")
                )
            }
        )


def do_reverse_entry(actor: Any, entry: Entry, *, date: datetime.date, reason: str) -> Entry:
    """Post the opposite of ``entry``, naming it; an entry is reversed at most once."""
    if not reason.strip():
        raise ValidationError({"reason": "Ghi lý do điều chỉnh."})
    if entry.kind == Entry.Kind.REVERSAL:
        raise ValidationError("Không điều chỉnh một bút toán điều chỉnh; hãy ghi bút toán mới.")
    fund = entry.fund
    _check_poster(actor, fund)
    with transaction.atomic():
        locked = _lock(fund)
        if Entry.objects.filter(reverses=entry).exists():
            raise ValidationError(f"Bút toán {entry.number} đã được điều chỉnh.")
        if entry.sign == 1 and entry.amount > balance(locked):
            raise ValidationError(
                {"amount": "Không thể hủy khoản thu này: số dư của quỹ không đủ."}
            )
        reversal = Entry(
            kind=Entry.Kind.REVERSAL,
            sign=-entry.sign,
            amount=entry.amount,
            date=date,
            reverses=entry,
            purpose=entry.purpose,
            campaign=entry.campaign,
            note=f"Điều chỉnh {entry.number}: {reason.strip()}",
        )
        return _append(actor, locked, reversal, "fund.entry.reverse")


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerProblem:
    fund_id: int
    fund_name: str
    seq: int
    number: str
    reason: str  # "missing", "broken-link", "altered"


def verify_ledgers(chunk_size: int = 5000) -> tuple[int, LedgerProblem | None]:
    """Recompute every fund's chain; (entries checked, first problem or None).

    A changed amount (or any other field) breaks the entry's own hash ("altered"); a
    deleted entry leaves a gap in the sequence ("missing"); entries swapped or reinserted
    no longer link to the hash before them ("broken-link"); a deleted last entry no longer
    matches the head kept on the fund row.
    """
    checked = 0
    for fund in Fund.objects.order_by("pk"):
        expected_seq, expected_prev = 1, GENESIS_HASH
        entries = Entry.objects.filter(fund_id=fund.pk).order_by("seq")
        for e in entries.iterator(chunk_size=chunk_size):
            if e.seq != expected_seq:
                return checked, LedgerProblem(fund.pk, fund.name, expected_seq, "", "missing")
            if e.prev_hash != expected_prev:
                return checked, LedgerProblem(fund.pk, fund.name, e.seq, e.number, "broken-link")
            if e.compute_hash() != e.hash:
                return checked, LedgerProblem(fund.pk, fund.name, e.seq, e.number, "altered")
            expected_seq += 1
            expected_prev = e.hash
            checked += 1
        if fund.last_seq != expected_seq - 1:
            return checked, LedgerProblem(fund.pk, fund.name, expected_seq, "", "missing")
        if fund.last_hash != expected_prev:
            return checked, LedgerProblem(fund.pk, fund.name, expected_seq - 1, "", "altered")
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
                raise ValidationError(f"Dòng {row['row']}: {messages}") from None
        audit.record(
            actor, "fund.receipt.import", fund, {"rows": len(posted)}, office_id=_office_id(fund)
        )
    return posted
