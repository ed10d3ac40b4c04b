"""Labelled synthetic household lists for the household matcher (see bench/README.md).

``generate(n_records, seed)`` returns (records, truth, units): records in the input format of
``manage.py household_duplicates`` (plus nothing else: the true household of each record
is in ``truth[id]``), and the ``--units`` tree with the 1 July 2025 successions.

The world: provinces of old communes merged three (or two) into one new ward on 1 July 2025;
each household has a head, a spouse (most), children, an address in a residential area of its
commune, a phone (or none), CMND and CCCD numbers. Lists: five organizations (Front, Women,
Farmers, Veterans, Youth) × years 2021–2026 each list a share of the poor households of
their units. Each appearance in a list is written with the variations real lists have:

- names without diacritics, upper case, a typo of one letter, a middle name dropped;
- the spouse as the head (then the husband is a member) in some organizations' lists;
- the old commune's code before 1 July 2025 (years ≤ 2024), the new ward's after, the
  unit missing in some lines (the address may still name the commune);
- CMND in lists before 2021–2022, CCCD after, often missing;
- the phone in five ways (0912 345 678, +84912345678, 84912345678, 0912.345.678,
  0912345678), sometimes missing, sometimes the spouse's phone;
- addresses abbreviated ("T.3", "Thôn 3", "thon 03", "K5", "Tổ 12"), with or without the
  house number, sometimes missing; birth year and members missing in some lines.

Hard negatives on purpose: households whose heads have the same (common) name in the same
commune; a father and his married son as two households at one address and one phone; a
household that gives a relative's phone (another household's).
"""

from __future__ import annotations

import random
import unicodedata
from typing import Any

SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
            ("Phan", 4), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Ngô", 2), ("Dương", 2),
            ("Lý", 1), ("Đinh", 2), ("Hà", 1), ("Lương", 1), ("Tô", 1), ("Mai", 1)]  # fmt: skip
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Công", "Quang", "Xuân", "Đình"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh"]
MALE_GIVEN = ["Hùng", "Dũng", "Hải", "Tuấn", "Nam", "Long", "Thắng", "Sơn", "Bình", "Cường",
              "Toàn", "Hưng", "Quân", "Khoa", "Phúc", "Tâm", "Thành", "Trung", "Việt", "Hòa",
              "Lâm", "Đạt", "Hiếu", "Kiên", "Mạnh", "Nghĩa", "Phong", "Quyết", "Tùng", "Vinh",
              "Chiến", "Định", "Giang", "Hậu", "Khải", "Luân", "Nhật", "Sang", "Thịnh",
              "Vượng"]  # fmt: skip
FEMALE_GIVEN = ["Lan", "Hoa", "Hương", "Mai", "Hằng", "Nga", "Thảo", "Linh", "Trang", "Hạnh",
                "Yến", "Nhung", "Loan", "Phương", "Thủy", "Huệ", "Liên", "Oanh", "Tuyết", "Xuân",
                "Dung", "Hiền", "Lụa", "Mơ", "Nhàn", "Quyên", "Sen", "Thắm", "Vân",
                "Gấm"]  # fmt: skip
ORGS = ["MTTQ", "HLHPN", "HND", "HCCB", "DTN"]
OLD_PREFIX = ["xã", "xã", "phường", "thị trấn"]
AREA_KIND = ["Thôn", "Khu", "Tổ"]

_OLD_MOBILE_REV = {"038": "0168", "039": "0169", "032": "0162", "097": None}


def _fold(text: str) -> str:
    d = unicodedata.normalize("NFD", text)
    out = "".join(c for c in d if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", out.replace("đ", "d").replace("Đ", "D"))


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _person(rng: random.Random, sex: str, surname: str | None = None) -> dict[str, Any]:
    sur = surname or _weighted(rng, SURNAMES)
    if sex == "M":
        name = f"{sur} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
    else:
        name = f"{sur} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"
    return {"name": name, "sex": sex}


def _ids(rng: random.Random, birth_year: int, sex: str, province: int) -> tuple[str, str]:
    cmnd = f"{rng.randint(10, 38):02d}{rng.randint(0, 9_999_999):07d}"
    century = (birth_year // 100 - 19) * 2 + (1 if sex == "F" else 0)
    cccd = f"{province:03d}{century}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"
    return cmnd, cccd


def _phone(rng: random.Random) -> str:
    return rng.choice(["09", "03", "08", "07"]) + f"{rng.randint(0, 99_999_999):08d}"


def _phone_written(rng: random.Random, phone: str) -> str:
    rest = phone[1:]
    way = rng.randrange(5)
    if way == 0:
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    if way == 1:
        return "+84" + rest
    if way == 2:
        return "84" + rest
    if way == 3:
        return f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"
    return phone


def _typo(rng: random.Random, name: str) -> str:
    parts = name.split()
    i = rng.randrange(len(parts))
    word = parts[i]
    if len(word) < 3:
        return name
    j = rng.randrange(1, len(word))
    op = rng.randrange(3)
    if op == 0:
        word = word[:j] + word[j + 1 :]
    elif op == 1:
        word = word[:j] + rng.choice("aeiounhtg") + word[j:]
    else:
        word = word[:j] + rng.choice("aeiounhtg") + word[j + 1 :]
    parts[i] = word
    return " ".join(parts)


def _write_name(rng: random.Random, name: str, style: dict[str, float]) -> str:
    if rng.random() < style["typo"]:
        name = _typo(rng, name)
    if rng.random() < style["fold"]:
        name = _fold(name)
    if rng.random() < 0.05:
        name = name.upper()
    return name


def _address(rng: random.Random, hh: dict[str, Any], commune_name: str) -> str | None:
    r = rng.random()
    if r < 0.15:
        return None
    kind, num = hh["area"]
    forms = [f"{kind} {num}", f"{kind[0]}.{num}", f"{_fold(kind).lower()} {num:02d}"]
    area = rng.choice(forms)
    parts = []
    if hh["house"] and rng.random() < 0.6:
        parts.append(rng.choice([f"Số nhà {hh['house']}", f"SN {hh['house']}", str(hh["house"])]))
    parts.append(area)
    if rng.random() < 0.7:
        parts.append(commune_name)
    return ", ".join(parts)


def build_units(rng: random.Random, n_wards: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """New wards (after 2025), each the successor of 2–3 old communes."""
    units: dict[str, Any] = {"P22": {"name": "Tỉnh Quảng Ninh", "parent": None, "successors": []}}
    wards: list[dict[str, Any]] = []
    old_i = 0
    for w in range(n_wards):
        code = f"W{w:05d}"
        base = f"{rng.choice(['Hà', 'Tân', 'Phong', 'Cẩm', 'Yên', 'Đông', 'Minh', 'Hưng'])} "
        name = base + rng.choice(["An", "Hải", "Thành", "Lợi", "Phú", "Bình", "Lộc", "Tiến"])
        name = f"{name} {w}"
        units[code] = {"name": f"Phường {name}", "parent": "P22", "successors": []}
        olds = []
        for _ in range(rng.choice([2, 3, 3])):
            ocode = f"C{old_i:05d}"
            old_i += 1
            oname = f"{rng.choice(OLD_PREFIX)} Cũ {old_i}"
            units[ocode] = {"name": oname, "parent": "D22", "successors": [code]}
            olds.append((ocode, oname))
        wards.append({"code": code, "name": f"phường {name}", "olds": olds})
    units["D22"] = {"name": "Thị xã Quảng Yên", "parent": "P22", "successors": []}
    return {"units": units}, wards


def generate(
    n_records: int, seed: int = 1
) -> tuple[list[dict[str, Any]], dict[Any, int], dict[str, Any]]:
    rng = random.Random(seed)
    n_households = max(10, int(n_records / 1.9))
    n_wards = max(3, n_households // 900)
    units, wards = build_units(rng, n_wards)
    households: list[dict[str, Any]] = []
    for h in range(n_households):
        ward = rng.choice(wards)
        old_code, old_name = rng.choice(ward["olds"])
        head_sex = "M" if rng.random() < 0.75 else "F"
        head = _person(rng, head_sex)
        head["birth_year"] = rng.randint(1940, 1995)
        members = []
        spouse = None
        if rng.random() < 0.8:
            spouse = _person(rng, "F" if head_sex == "M" else "M")
            spouse["birth_year"] = head["birth_year"] + rng.randint(-6, 6)
            members.append(spouse)
        for _ in range(rng.randint(0, 3)):
            child = _person(rng, rng.choice("MF"), head["name"].split()[0])
            child["birth_year"] = head["birth_year"] + rng.randint(20, 35)
            members.append(child)
        hh: dict[str, Any] = {
            "hid": h,
            "ward": ward,
            "old": (old_code, old_name),
            "head": head,
            "spouse": spouse,
            "members": members,
            "area": (rng.choice(AREA_KIND), rng.randint(1, 12)),
            "house": rng.randint(1, 300) if rng.random() < 0.5 else None,
            "phone": _phone(rng) if rng.random() < 0.8 else None,
            "spouse_phone": _phone(rng) if rng.random() < 0.3 else None,
        }
        for p in [head, *members]:
            p["cmnd"], p["cccd"] = _ids(rng, p["birth_year"], p["sex"], 22)
        households.append(hh)
    # hard negatives
    for hh in rng.sample(households, len(households) // 20):
        # same common name, same commune, another household
        twin = dict(hh)
        head = dict(hh["head"])
        head["birth_year"] = hh["head"]["birth_year"] + rng.choice([-1, 1]) * rng.randint(3, 20)
        head["cmnd"], head["cccd"] = _ids(rng, head["birth_year"], head["sex"], 22)
        twin.update(
            hid=len(households),
            head=head,
            spouse=None,
            members=[],
            area=(hh["area"][0], rng.randint(1, 12)),
            house=rng.randint(1, 300),
            phone=_phone(rng),
            spouse_phone=None,
        )
        households.append(twin)
    for hh in rng.sample(households[:n_households], len(households) // 25):
        # father and married son at one address, one phone
        son = _person(rng, "M", hh["head"]["name"].split()[0])
        son["birth_year"] = hh["head"]["birth_year"] + rng.randint(22, 32)
        son["cmnd"], son["cccd"] = _ids(rng, son["birth_year"], "M", 22)
        wife = _person(rng, "F")
        wife["birth_year"] = son["birth_year"] + rng.randint(-4, 4)
        wife["cmnd"], wife["cccd"] = _ids(rng, wife["birth_year"], "F", 22)
        households.append(
            {**hh, "hid": len(households), "head": son, "spouse": wife, "members": [wife],
             "spouse_phone": None}
        )  # fmt: skip
    for hh in rng.sample(households[:n_households], len(households) // 25):
        other = rng.choice(households)
        if other is not hh and other["phone"]:
            hh["phone"] = other["phone"]  # a relative's phone
    records: list[dict[str, Any]] = []
    truth: dict[Any, int] = {}
    lists = [(org, year) for org in ORGS for year in range(2021, 2027)]
    per_list_style = {
        lst: {
            "fold": rng.choice([0.0, 0.1, 0.5, 0.9]),
            "typo": rng.choice([0.02, 0.05, 0.1]),
            "spouse_head": rng.choice([0.0, 0.0, 0.2, 0.6]) if lst[0] == "HLHPN" else 0.03,
            "members": rng.choice([0.0, 0.5, 0.9]),
            "birth": rng.choice([0.4, 0.8, 1.0]),
            "id": rng.choice([0.0, 0.4, 0.8]),
            "phone": rng.choice([0.3, 0.7, 0.95]),
            "unit": rng.choice([0.9, 1.0]),
        }
        for lst in lists
    }
    target = n_records
    while len(records) < target:
        hh = rng.choice(households)
        k = 1 if rng.random() < 0.3 else rng.randint(2, 4)
        for org, year in rng.sample(lists, k):
            if len(records) >= target:
                break
            st = per_list_style[(org, year)]
            rec_id = f"{org}-{year}-{len(records)}"
            head, member_list = hh["head"], list(hh["members"])
            if hh["spouse"] is not None and rng.random() < st["spouse_head"]:
                head = hh["spouse"]
                member_list = [hh["head"]] + [m for m in member_list if m is not hh["spouse"]]
            old = year <= 2024 or (year == 2025 and rng.random() < 0.5)
            unit_code, unit_name = hh["old"] if old else (hh["ward"]["code"], hh["ward"]["name"])
            if rng.random() < 0.05:
                name = head["name"].split()
                head_name = f"{name[0]} {name[-1]}" if len(name) > 2 else head["name"]
            else:
                head_name = _write_name(rng, head["name"], st)
            id_number = None
            if rng.random() < st["id"]:
                id_number = head["cmnd"] if year <= 2021 or rng.random() < 0.2 else head["cccd"]
            phone = hh["phone"]
            if hh["spouse_phone"] and head is hh["spouse"]:
                phone = hh["spouse_phone"]
            phone_w = _phone_written(rng, phone) if phone and rng.random() < st["phone"] else None
            listed: list[Any] | None = None
            if rng.random() < st["members"]:
                listed = [_write_name(rng, m["name"], st) for m in member_list]
                if member_list and rng.random() < 0.3:
                    listed = [
                        {"name": m, "birth_year": p["birth_year"]}
                        for m, p in zip(listed, member_list, strict=True)
                    ]
            rec = {
                "id": rec_id,
                "org": org,
                "year": year,
                "head_name": head_name,
                "birth_year": head["birth_year"] if rng.random() < st["birth"] else None,
                "id_number": id_number,
                "phone": phone_w,
                "address": _address(rng, hh, unit_name),
                "unit": unit_code if rng.random() < st["unit"] else None,
                "members": listed,
                "support": rng.choice([None, "nhà ở", "sinh kế", "học bổng"]),
            }
            records.append(rec)
            truth[rec_id] = hh["hid"]
    rng.shuffle(records)
    return records, truth, units
