"""The ledger: append-only (service and database), balances, reversals, the hash chain."""

from __future__ import annotations

import datetime
import subprocess
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from time_machine import TimeMachineFixture

from khoi.fund import services
from khoi.fund.models import Entry, Fund
from khoi.testing.factories import unit

D = datetime.date(2017, 10, 20)
E = Entry


@pytest.fixture(autouse=True)
def _frozen(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime.datetime(2017, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False)


def make_fund(world: Any, **over: Any) -> Fund:
    fund = services.do_create_fund(
        None,
        name=over.pop("name", "Quỹ Vì người nghèo phường Hà An"),
        unit=over.pop("unit", world.commune),
        level=Fund.Level.COMMUNE,
        office=world.office,
        **over,
    )
    services.do_add_accountant(None, fund, world.users["staff"])
    return fund


def receipt(fund: Fund, amount: int, actor: Any = None, **over: Any) -> Entry:
    data: dict[str, Any] = {"amount": amount, "date": D, "donor_kind": E.DonorKind.PERSON,
                            "donor_name": "Nguyễn Văn An"}  # fmt: skip
    data.update(over)
    return services.do_post_receipt(actor, fund, **data)


def spend(fund: Fund, amount: int, actor: Any = None, **over: Any) -> Entry:
    data: dict[str, Any] = {"amount": amount, "date": D, "purpose": E.Purpose.LIVELIHOOD,
                            "beneficiary": "Hộ ông Phạm Văn Dũng"}  # fmt: skip
    data.update(over)
    return services.do_post_expenditure(actor, fund, **data)


def test_receipts_are_numbered_per_fund_and_year(
    world: Any, time_machine: TimeMachineFixture
) -> None:
    fund = make_fund(world)
    a = receipt(fund, 1_000_000)
    b = receipt(fund, 2_000_000)
    time_machine.move_to(datetime.datetime(2018, 1, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
    c = receipt(fund, 500_000, date=datetime.date(2018, 1, 2))
    assert [a.number, b.number, c.number] == ["0001/PT-2017", "0002/PT-2017", "0001/PT-2018"]
    other = make_fund(world, unit=world.commune2)
    assert receipt(other, 1).number == "0001/PT-2017"


@pytest.mark.parametrize("amount", [0, -5, 1.5, "100", True])
def test_bad_amounts_are_refused_and_nothing_is_saved(world: Any, amount: Any) -> None:
    fund = make_fund(world)
    with pytest.raises(ValidationError) as exc:
        receipt(fund, amount)
    assert "amount" in exc.value.message_dict
    assert not Entry.objects.exists()


def test_a_fund_that_requires_donor_and_campaign_refuses_receipts_without(world: Any) -> None:
    fund = make_fund(world, requires_donor=True, requires_campaign=True)
    with pytest.raises(ValidationError) as exc:
        receipt(fund, 100_000, donor_kind=E.DonorKind.ANONYMOUS, donor_name="")
    assert {"donor_kind", "campaign"} <= set(exc.value.message_dict)
    campaign = services.do_create_campaign(
        None, fund, name="Tháng cao điểm 2017", start_on=datetime.date(2017, 10, 17),
        end_on=datetime.date(2017, 11, 18),
    )  # fmt: skip
    assert receipt(fund, 100_000, campaign=campaign).campaign == campaign


def test_spending_above_the_balance_is_refused(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000_000)
    with pytest.raises(ValidationError) as exc:
        spend(fund, 1_000_001)
    assert "vượt số dư" in exc.value.message_dict["amount"][0]
    spend(fund, 1_000_000)
    assert services.balance(fund) == 0


def test_running_costs_are_capped(world: Any) -> None:
    fund = make_fund(world, running_cost_cap_percent=5)
    receipt(fund, 10_000_000)
    spend(fund, 500_000, purpose=E.Purpose.RUNNING, beneficiary="")
    with pytest.raises(ValidationError) as exc:
        spend(fund, 1, purpose=E.Purpose.RUNNING, beneficiary="")
    assert "trần 5%" in exc.value.message_dict["amount"][0]


def test_only_the_funds_accountants_post(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000, actor=world.users["staff"])
    for persona in ("office_head", "reporter", "viewer", "outsider"):
        with pytest.raises(ValidationError):
            receipt(fund, 1_000, actor=world.users[persona])
    assert Entry.objects.count() == 1


def test_a_reversal_names_the_entry_and_happens_once(world: Any) -> None:
    fund = make_fund(world)
    r = receipt(fund, 3_000_000)
    x = spend(fund, 1_000_000)
    rev = services.do_reverse_entry(None, x, date=D, reason="ghi nhầm hộ")
    assert rev.reverses == x and rev.sign == 1 and x.number in rev.note
    assert services.balance(fund) == 3_000_000
    with pytest.raises(ValidationError):
        services.do_reverse_entry(None, x, date=D, reason="lần hai")
    with pytest.raises(ValidationError):
        services.do_reverse_entry(None, rev, date=D, reason="điều chỉnh của điều chỉnh")
    pb = services.period_balance(fund, datetime.date(2017, 10, 1), datetime.date(2017, 10, 31))
    assert (pb.opening, pb.receipts, pb.expenditures, pb.closing) == (0, 3_000_000, 0, 3_000_000)
    assert pb.entries == 3  # the receipt, the expenditure and its reversal (the page's count)
    later = services.period_balance(fund, datetime.date(2018, 1, 1), datetime.date(2018, 12, 31))
    assert later.entries == 0
    assert r.number == "0001/PT-2017"


def test_there_is_no_edit_or_delete_path_in_the_application(world: Any) -> None:
    fund = make_fund(world)
    r = receipt(fund, 1_000)
    r.amount = 2_000
    with pytest.raises(PermissionError):
        r.save()
    with pytest.raises(PermissionError):
        r.delete()
    # a fund's settings and campaigns can be changed (audited); never a ledger entry
    settings_only = {"do_update_fund", "do_update_campaign"}
    assert not [n for n in dir(services) if n.startswith(("do_update", "do_edit", "do_delete"))
                and n not in settings_only]  # fmt: skip


@pytest.mark.parametrize(
    "sql",
    ["UPDATE fund_entry SET amount = amount + 1", "DELETE FROM fund_entry",
     "UPDATE fund_entry SET note = 'x'"],
)  # fmt: skip
def test_the_database_refuses_update_and_delete(world: Any, sql: str) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert Entry.objects.get().amount == 1_000
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(fund=fund).update(amount=5)


def _drop_triggers() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER fund_entry_no_update")
            cur.execute("DROP TRIGGER fund_entry_no_delete")
        else:
            cur.execute("DROP TRIGGER fund_entry_append_only ON fund_entry")


def _verify(capsys: Any) -> tuple[int, str]:
    try:
        call_command("fund_verify")
    except SystemExit as exc:
        return int(exc.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().out


@pytest.mark.parametrize("tamper", ["amount", "delete_middle", "delete_last", "swap"])
def test_fund_verify_names_the_first_changed_entry(world: Any, capsys: Any, tamper: str) -> None:
    fund = make_fund(world)
    entries = [receipt(fund, 1_000 * (i + 1)) for i in range(4)]
    assert _verify(capsys) == (0, "Sổ quỹ toàn vẹn: 4 bút toán.\n")
    _drop_triggers()  # what someone with database access could do; rolled back after the test
    with connection.cursor() as cur:
        if tamper == "amount":
            cur.execute("UPDATE fund_entry SET amount = 9 WHERE id = %s", [entries[1].pk])
            expect = "#2 (số 0002/PT-2017) bị sửa"
        elif tamper == "delete_middle":
            cur.execute("DELETE FROM fund_entry WHERE id = %s", [entries[1].pk])
            expect = "#2 bị xóa"
        elif tamper == "delete_last":
            cur.execute("DELETE FROM fund_entry WHERE id = %s", [entries[3].pk])
            expect = "#4 bị xóa"
        else:
            cur.execute("UPDATE fund_entry SET seq = 99 WHERE id = %s", [entries[1].pk])
            cur.execute("UPDATE fund_entry SET seq = 2 WHERE id = %s", [entries[2].pk])
            cur.execute("UPDATE fund_entry SET seq = 3 WHERE id = %s", [entries[1].pk])
            expect = "#2 (số 0003/PT-2017) không nối đúng"
    code, err = _verify(capsys)
    assert code == 1 and expect in err, err


def test_fund_verify_runs_as_a_command() -> None:
    result = subprocess.run(
        [".venv/bin/python", "manage.py", "fund_verify", "--help"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("in"), st.integers(1, 5_000_000)),
        st.tuples(st.just("out"), st.integers(1, 5_000_000)),
        st.tuples(st.just("reverse"), st.integers(0, 50)),
        st.tuples(st.just("edit"), st.integers(0, 50)),
    ),
    max_size=25,
)
_units = iter(range(10**6))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_random_operations_keep_balance_equal_to_the_sum_of_entries(world: Any, ops: Any) -> None:
    fund = make_fund(world, unit=unit(f"Xã thử {next(_units)}", 3, world.town))
    model = 0
    posted: list[Entry] = []
    for op, value in ops:
        if op == "in":
            posted.append(receipt(fund, value))
            model += value
        elif op == "out":
            if value > model:
                with pytest.raises(ValidationError):
                    spend(fund, value)
            else:
                posted.append(spend(fund, value))
                model -= value
        elif op == "reverse" and posted:
            target = posted[value % len(posted)]
            try:
                services.do_reverse_entry(None, target, date=D, reason="thử")
                model -= target.signed_amount
            except ValidationError:
                pass
        elif op == "edit" and posted:
            target = Entry.objects.get(pk=posted[value % len(posted)].pk)
            before = target.hash
            with pytest.raises(DatabaseError), transaction.atomic():
                Entry.objects.filter(pk=target.pk).update(amount=target.amount + 1)
            assert Entry.objects.get(pk=target.pk).hash == before
        assert services.balance(fund) == model >= 0
    total = sum(e.signed_amount for e in Entry.objects.filter(fund=fund))
    assert total == services.balance(fund) == model
    assert services.verify_ledgers()[1] is None


@pytest.mark.django_db(transaction=True)
def test_a_flush_between_transactional_tests_empties_the_ledger_and_keeps_the_triggers(
    world: Any,
) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000)
    call_command("flush", interactive=False, verbosity=0)
    assert not Entry.objects.exists()
    from khoi.fund.demo import ensure_reference_data
    from khoi.fund.models import HousingAmount, PovertyStandard

    assert not PovertyStandard.objects.exists()
    ensure_reference_data()
    ensure_reference_data()
    assert PovertyStandard.objects.count() == 4 and HousingAmount.objects.count() == 4
    fund = make_fund(build_world_again())
    receipt(fund, 1_000)
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.update(amount=5)


def build_world_again() -> Any:
    from khoi.testing.factories import build_world

    return build_world()


@given(
    text=st.text(max_size=30),
    ints=st.tuples(*[st.one_of(st.none(), st.integers(1, 10**12))] * 3),
    micro=st.integers(0, 999_999),
)
def test_the_fast_hash_of_verify_is_the_chain_hash(text: str, ints: Any, micro: int) -> None:
    """fund_verify's hand-written JSON body is byte for byte the one ``chain_hash`` hashes:
    quotes, backslashes, control characters, non-BMP and Vietnamese text, nulls, microseconds."""
    from khoi.fund.models import chain_hash, entry_payload

    created = datetime.datetime(2017, 11, 1, 9, 0, 0, micro, tzinfo=datetime.UTC)
    campaign, reverses, created_by = ints
    values = [7, 12, "receipt", -1, 1_250_000, f"0001/PT-{text}", D, "person", text,
              "cash", campaign, "", f'"{text}\\', "QĐ\n\t\u2028", reverses, text + "Điều",
              created_by, created]  # fmt: skip
    prev = "ab" * 32
    payload = list(values)
    payload[6] = D.isoformat()
    payload[17] = created.isoformat()
    assert services.fast_chain_hash((*values, prev)) == chain_hash(prev, entry_payload(*payload))


def test_verify_by_fund_ranges_reports_the_first_problem_in_fund_order(world: Any) -> None:
    """The ranges fund_verify gives its worker processes are independent chains."""
    from khoi.testing.factories import unit as make_unit

    funds = [make_fund(world)] + [
        make_fund(world, unit=make_unit(f"Phường thử {i}", 3, world.town, world.commune.era))
        for i in (1, 2)
    ]
    for f in funds:
        receipt(f, 1_000)
        receipt(f, 2_000)
    assert services._verify_range(funds[0].pk, funds[0].pk, 10) == (2, None)
    _drop_triggers()
    with connection.cursor() as cur:
        for f in funds[1:]:
            cur.execute("UPDATE fund_entry SET amount = 9 WHERE fund_id = %s AND seq = 2", [f.pk])
    checked, problem = services._verify_range(funds[1].pk, funds[2].pk, 1)
    assert checked == 1 and problem is not None and problem.fund_id == funds[1].pk
    assert services.verify_ledgers()[1] == problem


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL pass: PostgreSQL")
@given(text=st.text(max_size=20), micro=st.sampled_from([0, 1, 500_000, 999_999]))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_sql_pass_writes_the_same_body_as_python(world: Any, text: str, micro: int) -> None:
    """The body PostgreSQL writes out for the keyed check is byte for byte the one the
    service sealed, on awkward text (else every fund would be re-verified row by row)."""
    from khoi.fund.models import chain_hash

    text = text.replace("\x00", "")  # PostgreSQL text holds no NUL
    fund = Fund.objects.filter(name="SQL").first() or make_fund(
        world, unit=unit("Phường SQL", 3, world.town, world.commune.era), name="SQL"
    )
    created = datetime.datetime(2017, 11, 1, 9, 0, 0, micro, tzinfo=datetime.UTC)
    with transaction.atomic():
        locked = Fund.objects.select_for_update().get(pk=fund.pk)
        e = Entry(fund=locked, seq=locked.last_seq + 1, kind="receipt", sign=1, amount=5,
                  date=D, number=f"{locked.last_seq + 1}/{text}"[:40], donor_kind="person",
                  donor_name=text, channel="cash", note=f'"{text}\\\n\t\u2028',
                  created_at=created, prev_hash=locked.last_hash)  # fmt: skip
        e.hash = chain_hash(e.prev_hash, e.payload())
        e.save()
        Fund.objects.filter(pk=fund.pk).update(last_seq=e.seq, last_hash=e.hash)
    from khoi.fund.models import entry_body

    with connection.cursor() as cur:
        cur.execute(services._SQL_ROWS, {})
        written = {(f, seq): m.encode() for f, seq, _p, _h, m in cur.fetchall()}
    assert written[(fund.pk, e.seq)] == (e.prev_hash + entry_body(e.payload())).encode()
    assert services.verify_ledgers()[1] is None


def _immediate() -> None:
    """PostgreSQL refuses TRUNCATE while deferred constraint checks are pending (the test's
    transaction wrote rows): run them now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_truncate_of_the_ledger_is_refused_by_postgresql(world: Any) -> None:
    fund = make_fund(world)
    receipt(fund, 1_000)
    if connection.vendor != "postgresql":  # SQLite has no TRUNCATE; its DELETE is refused
        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.filter(fund=fund)._raw_delete(connection.alias)
        return
    _immediate()  # the test's own transaction holds deferred foreign-key checks
    with (
        pytest.raises(DatabaseError, match="TRUNCATE is refused"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("TRUNCATE fund_entry CASCADE")
    assert Entry.objects.count() == 1


def test_flush_lifts_the_guard_only_in_development_demo_and_tests(
    world: Any, monkeypatch: Any
) -> None:
    from django.core.management.color import no_style

    from khoi.fund import dbguard

    tables = connection.introspection.django_table_names(only_existing=True)
    assert dbguard.flush_may_empty_ledger()  # the test suite
    allowed = connection.ops.sql_flush(no_style(), tables)
    monkeypatch.setattr(dbguard, "flush_may_empty_ledger", lambda: False)  # production
    refused = connection.ops.sql_flush(no_style(), tables)
    assert refused != allowed and len(refused) < len(allowed)
    assert not any("khoi.fund_flush" in s or "DROP TRIGGER" in s for s in refused)
    fund = make_fund(world)
    receipt(fund, 1_000)
    _immediate()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.ops.execute_sql_flush(refused)  # the guard refuses the whole flush
    assert Entry.objects.count() == 1
