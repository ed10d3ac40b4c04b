from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoi.org.models import AdminUnit, UnitSuccession
from khoi.org.services import do_load_units

C, F = AdminUnit.Era.CURRENT, AdminUnit.Era.FORMER


@pytest.fixture
def quang_ninh(db: None) -> None:
    call_command("load_units", "--province", "22", verbosity=0)


def test_one_province_loads_both_trees_and_the_successions(quang_ninh: None) -> None:
    province = AdminUnit.objects.get(era=C, code="22")
    assert "Quảng Ninh" in province.name
    current_communes = AdminUnit.objects.subtree(province).filter(level=AdminUnit.Level.COMMUNE)
    assert current_communes.count() == 54
    town = AdminUnit.objects.get(era=F, code="206")
    assert town.name == "Thị xã Quảng Yên"
    assert town.children.count() == 19
    ha_an = AdminUnit.objects.get(era=F, level=3, name="Phường Hà An")
    assert ha_an.district == town
    assert ha_an.province is not None and ha_an.province.code == "22"
    successors = [s.current for s in ha_an.successors.all()]
    assert successors and all(s.era == C and s.province == province for s in successors)


def test_a_subtree_query_counts_everything_under_a_former_province(quang_ninh: None) -> None:
    province = AdminUnit.objects.get(era=F, code="22")
    districts = AdminUnit.objects.filter(era=F, level=2, province=province).count()
    communes = AdminUnit.objects.filter(era=F, level=3, province=province).count()
    assert AdminUnit.objects.subtree(province).count() == 1 + districts + communes
    town = AdminUnit.objects.get(era=F, code="206")
    assert AdminUnit.objects.subtree(town).count() == 20


def test_loading_twice_changes_nothing(quang_ninh: None) -> None:
    counts = (AdminUnit.objects.count(), UnitSuccession.objects.count())
    call_command("load_units", "--province", "quang_ninh", verbosity=0)
    assert (AdminUnit.objects.count(), UnitSuccession.objects.count()) == counts


def test_an_unknown_province_fails_clearly_and_changes_nothing(db: None) -> None:
    with pytest.raises(CommandError, match="Không có tỉnh"):
        call_command("load_units", "--province", "99")
    assert AdminUnit.objects.count() == 0


def test_a_failed_import_leaves_no_partial_rows(db: None, monkeypatch) -> None:
    from khoi.org import services

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.UnitSuccession.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        do_load_units(None, 22)
    assert AdminUnit.objects.count() == 0


def test_a_merged_province_brings_its_former_provinces(db: None) -> None:
    # Hải Phòng (31) absorbed Hải Dương (30) on 1 July 2025.
    do_load_units(None, 31)
    assert set(AdminUnit.objects.filter(era=F, level=1).values_list("code", flat=True)) == {
        "30",
        "31",
    }
    hai_duong = AdminUnit.objects.get(era=F, code="30")
    assert hai_duong.successors.get().current.code == "31"
