"""The names an office's documents carry in their heading (the report, the minutes…)."""

from __future__ import annotations

from khoi.org.models import JointOffice


def place_name(office: JointOffice) -> str:
    """ "Quảng Yên" from the unit "Thị xã Quảng Yên"."""
    name, kind = office.unit.name, office.unit.division_type
    if kind and name.lower().startswith(kind.lower()):
        return name[len(kind) :].strip()
    return name


def issuer_lines(office: JointOffice) -> tuple[str, str]:
    return ("ỦY BAN MTTQ VIỆT NAM", office.unit.name.upper())
