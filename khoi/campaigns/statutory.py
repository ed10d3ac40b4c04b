"""Statutory data loaded by migration 0002 (and editable in the admin): base salaries,
forms of commendation with their rewards, cultural titles with versioned criteria sets.

Each row names its source. The reward coefficients follow the implementing decrees of the
Law on Emulation and Commendation (Decree 91/2017/NĐ-CP until 31/12/2023; Decree
98/2023/NĐ-CP under the 2022 Law from 1/1/2024; Decree 152/2025/NĐ-CP from 1/7/2025). Which
coefficients were checked against published copies, and which were not, is written in each
row's source (migration 0004); correct them in the admin if needed (a new row, never an edit
of history).
"""

from __future__ import annotations

import datetime

D = datetime.date

BASE_SALARIES = [
    (1_210_000, D(2016, 5, 1), "Nghị định 47/2016/NĐ-CP"),
    (1_300_000, D(2017, 7, 1), "Nghị định 47/2017/NĐ-CP"),
    (1_390_000, D(2018, 7, 1), "Nghị định 72/2018/NĐ-CP"),
    (1_490_000, D(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    (1_800_000, D(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    (2_340_000, D(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
]

OLD = (
    "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP",
    D(2017, 7, 31),
    D(2023, 12, 31),
)
NEW = (
    "Luật Thi đua, khen thưởng 2022 (06/2022/QH15); Nghị định 98/2023/NĐ-CP",
    D(2024, 1, 1),
    None,
)

# code, name, kind, nominee, coefficient, prerequisite code, within years
FORMS = [
    ("giay-khen-ca-nhan", "Giấy khen (cá nhân)", "paper", "individual", "0.3", None, 0),
    ("giay-khen-tap-the", "Giấy khen (tập thể)", "paper", "collective", "0.6", None, 0),
    (
        "bang-khen-tinh-ca-nhan",
        "Bằng khen cấp tỉnh (cá nhân)",
        "certificate",
        "individual",
        "1.0",
        "giay-khen-ca-nhan",
        5,
    ),
    (
        "bang-khen-tinh-tap-the",
        "Bằng khen cấp tỉnh (tập thể)",
        "certificate",
        "collective",
        "2.0",
        "giay-khen-tap-the",
        5,
    ),
    (
        "co-thi-dua-tinh",
        "Cờ thi đua cấp tỉnh",
        "flag",
        "collective",
        "8.0",
        "bang-khen-tinh-tap-the",
        5,
    ),
]
# Coefficients that changed with Decree 98/2023/NĐ-CP (none of the forms above: the
# provincial flag is 8.0 under both, Decree 91/2017 art. 69 and Decree 98/2023 art. 54).
# Migration 0004 writes the article and whether it was checked into each row's source,
# and adds the version of Decree 152/2025/NĐ-CP.
NEW_COEFFICIENTS: dict[str, str] = {}

TITLES = [
    ("gia-dinh-van-hoa", "Gia đình văn hóa", "household"),
    ("khu-dan-cu-van-hoa", "Khu dân cư văn hóa", "area"),
]
CRITERIA_SETS = [
    (
        "gia-dinh-van-hoa",
        "2011",
        "Thông tư 12/2011/TT-BVHTTDL",
        D(2011, 12, 25),
        D(2018, 9, 14),
        [
            "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
            "Gia đình hòa thuận, hạnh phúc, tiến bộ, tương trợ giúp đỡ mọi người trong cộng đồng",
            "Tổ chức lao động, sản xuất, kinh doanh, công tác, học tập đạt năng suất, chất lượng",
        ],
    ),
    (
        "gia-dinh-van-hoa",
        "2018",
        "Nghị định 122/2018/NĐ-CP",
        D(2018, 9, 15),
        D(2023, 12, 31),
        [
            "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tích cực tham gia phong trào thi đua của địa phương",  # noqa: E501
            "Gia đình hạnh phúc, tiến bộ, tương trợ giúp đỡ mọi người trong cộng đồng",
            "Tổ chức lao động, sản xuất, kinh doanh, công tác, học tập đạt năng suất, chất lượng, hiệu quả",  # noqa: E501
        ],
    ),
    (
        "gia-dinh-van-hoa",
        "2023",
        "Nghị định 86/2023/NĐ-CP",
        D(2024, 1, 1),
        None,
        [
            "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tích cực tham gia phong trào thi đua",  # noqa: E501
            "Xây dựng gia đình no ấm, tiến bộ, hạnh phúc, văn minh",
            "Đoàn kết, tương trợ giúp đỡ trong cộng đồng",
        ],
    ),
    (
        "khu-dan-cu-van-hoa",
        "2011",
        "Thông tư 12/2011/TT-BVHTTDL",
        D(2011, 12, 25),
        D(2018, 9, 14),
        [
            "Đời sống kinh tế ổn định và từng bước phát triển",
            "Đời sống văn hóa, tinh thần lành mạnh, phong phú",
            "Môi trường cảnh quan sạch đẹp",
            "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
            "Có tinh thần đoàn kết, tương trợ, giúp đỡ lẫn nhau trong cộng đồng",
        ],
    ),
    (
        "khu-dan-cu-van-hoa",
        "2018",
        "Nghị định 122/2018/NĐ-CP",
        D(2018, 9, 15),
        None,
        [
            "Đời sống kinh tế ổn định và từng bước phát triển",
            "Đời sống văn hóa, tinh thần lành mạnh, phong phú",
            "Môi trường cảnh quan sạch đẹp",
            "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
            "Có tinh thần đoàn kết, tương trợ, giúp đỡ lẫn nhau trong cộng đồng",
        ],
    ),
]


def load(apps: object) -> None:
    from decimal import Decimal

    get = apps.get_model  # type: ignore[attr-defined]
    BaseSalary, AwardForm = get("campaigns", "BaseSalary"), get("campaigns", "AwardForm")
    CulturalTitle, CriteriaSet = get("campaigns", "CulturalTitle"), get("campaigns", "CriteriaSet")
    for amount, since, source in BASE_SALARIES:
        BaseSalary.objects.get_or_create(
            valid_from=since, defaults={"amount": amount, "source": source}
        )
    for source, since, until in (OLD, NEW):
        made: dict[str, object] = {}
        for code, name, kind, nominee, coef, need, years in FORMS:
            if source == NEW[0]:
                coef = NEW_COEFFICIENTS.get(code, coef)
            form, _ = AwardForm.objects.get_or_create(
                code=code,
                valid_from=since,
                defaults={
                    "name": name,
                    "kind": kind,
                    "nominee": nominee,
                    "coefficient": Decimal(coef),
                    "source": source,
                    "valid_until": until,
                    "prerequisite": made.get(need) if need else None,
                    "prerequisite_years": years,
                },
            )
            made[code] = form
    titles = {}
    for code, name, level in TITLES:
        titles[code], _ = CulturalTitle.objects.get_or_create(
            code=code, defaults={"name": name, "level": level}
        )
    for code, version, source, since, until, criteria in CRITERIA_SETS:
        CriteriaSet.objects.get_or_create(
            title=titles[code],
            version=version,
            defaults={
                "source": source,
                "valid_from": since,
                "valid_until": until,
                "criteria": criteria,
            },
        )
