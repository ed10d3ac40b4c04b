"""The petitions' scale generator (``generate_scale``, khoi/ops/scale.py) and the texts it
shares with bench/petitions.py.

Per commune office and year: ``density["petitions"]`` petitions (500,000 nationally), numbered
per office and year as the register numbers them, drawn from a pool of ``DISTINCT_TEXTS``
land-clearance grievances so that each is sent several times (the duplicate finder has work);
85% with one encrypted petitioner (blind indexes as ``services`` writes them), the commune
as related unit, the content bands of the duplicate index; petitions received in the last
60 days of the year (and 2% of the others) are still open with their intake deadline.
Written with ``scale.bulk_insert`` (COPY on PostgreSQL). No audit entries: generated data is
not anyone's action.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

from khoi.ops.scale import ScaleContext, bulk_insert, register_generator

DISTINCT_TEXTS = 30_000

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc", "Xuân", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Khang",
    "Lan",
    "Linh",
    "Long",
    "Lụa",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phúc",
    "Quyết",
    "Sơn",
    "Tâm",
    "Thành",
    "Thảo",
    "Thủy",
    "Toàn",
    "Trang",
    "Tuấn",
    "Vân",
    "Việt",
    "Xuân",
    "Yến",
]
PROJECTS = ("Trung tâm Y tế thị xã", "Khu công nghiệp cảng biển Tiền Phong")
SUBJECTS = (
    "Quyết định phê duyệt phương án bồi thường, hỗ trợ GPMB",
    "Quyết định thu hồi đất nuôi trồng thủy sản",
    "Vị trí khu tái định cư",
    "Đơn giá bồi thường đất ở và đất vườn",
    "Kiểm đếm tài sản trên đất bị thu hồi",
    "Chi trả tiền bồi thường chậm",
    "Hỗ trợ chuyển đổi nghề và tìm kiếm việc làm",
    "Cán bộ địa chính ghi sai diện tích",
    "Bụi và xe chở vật liệu san lấp mặt bằng",
    "Hạ tầng khu tái định cư chưa hoàn thiện",
    "Xác định nguồn gốc đất để bồi thường",
    "Bồi thường cây trồng, vật nuôi trên đất",
)
OBJECTS = (
    "đất ở", "đất vườn", "đầm nuôi trồng thủy sản", "đất nông nghiệp", "nhà cấp bốn",
    "công trình phụ", "cây ăn quả", "ao cá", "mộ phần", "đường liên thôn", "mương thoát nước",
    "giếng khoan", "tường rào", "chuồng trại", "ruộng lúa",
)  # fmt: skip
VERBS = (
    "áp giá thấp hơn thị trường cho", "không kiểm đếm", "ghi sai diện tích", "chưa chi trả cho",
    "thu hồi nhưng không bồi thường", "đo đạc thiếu", "chưa hỗ trợ di chuyển", "bỏ sót",
    "tính sai nguồn gốc", "định giá không đúng loại đất cho",
)  # fmt: skip
ASKS = (
    "Đề nghị xem xét lại đơn giá bồi thường.", "Đề nghị kiểm đếm lại tài sản trên đất.",
    "Đề nghị bố trí đất tái định cư phù hợp.", "Đề nghị chi trả đủ tiền bồi thường.",
    "Đề nghị hỗ trợ đào tạo nghề cho lao động.", "Đề nghị xử lý nghiêm cán bộ sai phạm.",
    "Đề nghị hoàn thiện đường giao thông và thoát nước.", "Đề nghị đối thoại trực tiếp.",
)  # fmt: skip


def petition_text(rng: random.Random) -> tuple[str, str]:
    """A land-clearance grievance: (subject, content)."""
    subject = f"{rng.choice(SUBJECTS)} dự án {rng.choice(PROJECTS)}"
    parts = []
    for _ in range(rng.randint(2, 3)):
        parts.append(
            f"Gia đình có {rng.randint(50, 3000)} m² {rng.choice(OBJECTS)} tại khu "
            f"{rng.randint(1, 12)} bị thu hồi; tổ công tác {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)} và {rng.choice(OBJECTS)}."
        )
    parts.append(rng.choice(ASKS))
    return subject, " ".join(parts)


@functools.lru_cache(maxsize=DISTINCT_TEXTS)
def _pooled(seed: int, index: int) -> tuple[str, str, str, str, tuple[int, ...]]:
    """Text ``index`` of the seed's pool with what the duplicate index stores of it."""
    from khoi.lib.vntext import fold
    from khoi.petitions import duplicates

    subject, content = petition_text(random.Random(f"{seed}:petition-text:{index}"))
    words = duplicates.content_tokens(subject, content)
    bands = tuple(duplicates.bands(duplicates.shingle_set(words)))
    return subject, content, fold(f"{subject} {content}")[:4000], " ".join(words), bands


def generate_petitions(ctx: ScaleContext) -> dict[str, int]:
    from khoi.lib.workdays import compute_deadline
    from khoi.petitions import crypto
    from khoi.petitions.clocks import INTAKE_RULE
    from khoi.petitions.models import (
        OPEN_STATUSES,
        ContentBand,
        Kind,
        Petition,
        PetitionDeadline,
        Petitioner,
        Status,
    )
    from khoi.workcalendar.services import work_calendar

    rng = ctx.rng
    per_office = ctx.density["petitions"]
    if per_office <= 0:
        return {}
    calendar = work_calendar()
    first, last = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
    kinds = [Kind.COMPLAINT] * 5 + [Kind.DENUNCIATION] * 2 + [Kind.REQUEST] * 2 + [Kind.REPORT]
    closed = [Status.CLOSED, Status.FILED, Status.GUIDED, Status.RESOLVED]
    channels = ["post", "handed", "reception", "forwarded"]
    petitions: list[Any] = []
    texts: list[int] = []
    for commune in ctx.communes:
        office = ctx.offices[commune.pk]
        days = sorted(rng.randrange(365) for _ in range(per_office))
        for number, offset in enumerate(days, start=1):
            received = first + dt.timedelta(days=offset)
            ti = rng.randrange(DISTINCT_TEXTS)
            subject, content, folded, tokens, _bands = _pooled(ctx.seed, ti)
            open_ = (last - received).days < 60 or rng.random() < 0.02
            kind = rng.choice(kinds)
            petitions.append(
                Petition(
                    office=office, year=ctx.year, number=number, kind=kind,
                    channel=rng.choice(channels), received_on=received,
                    month=received.year * 100 + received.month, subject=subject,
                    content=content, unit=commune,
                    status=rng.choice(OPEN_STATUSES) if open_ else rng.choice(closed),
                    confidential=kind == Kind.DENUNCIATION,
                    signatory_count=rng.choice([1] * 30 + [2, 5, 46]),
                    search_folded=folded, content_tokens=tokens,
                )
            )  # fmt: skip
            texts.append(ti)
    named = [rng.random() < 0.85 for _ in petitions]
    for p, has_name in zip(petitions, named, strict=True):
        p.anonymous = not has_name
    deadlines: list[Any] = []
    for p in petitions:
        if p.status in OPEN_STATUSES and not p.anonymous:
            d = compute_deadline(INTAKE_RULE[Kind(p.kind)], p.received_on, 0, calendar)
            p.next_due, p.next_rule = d.due, d.rule
            deadlines.append((p, d))
    bulk_insert(Petition, petitions)
    through = Petition.units.through
    bulk_insert(through, [through(petition_id=p.pk, adminunit_id=p.unit_id) for p in petitions])
    bulk_insert(
        PetitionDeadline,
        [
            PetitionDeadline(
                petition=p,
                rule=d.rule,
                title=d.title,
                start=d.start,
                due=d.due,
                source=d.source,
                explanation=d.explanation,
            )
            for p, d in deadlines
        ],
    )
    bands = [
        ContentBand(petition_id=p.pk, office_id_ref=p.office_id, band=b)
        for p, ti in zip(petitions, texts, strict=True)
        for b in _pooled(ctx.seed, ti)[4]
    ]
    bulk_insert(ContentBand, bands)
    people: list[Any] = []
    for p, has_name in zip(petitions, named, strict=True):
        if not has_name:
            continue
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        address = f"Số {rng.randint(1, 200)}, khu {rng.randint(1, 20)}, {p.unit.name}"
        people.append(
            Petitioner(
                petition_id=p.pk, identity=crypto.encrypt(
                    {"name": name, "address": address, "phone": "", "id_number": ""}
                ),
                name_index=crypto.blind_index(name),
                household_index=crypto.blind_index(address),
                confidential=p.confidential, representative=True,
            )
        )  # fmt: skip
    bulk_insert(Petitioner, people)
    return {
        "petitions.Petition": len(petitions),
        "petitions.PetitionDeadline": len(deadlines),
        "petitions.ContentBand": len(bands),
        "petitions.Petitioner": len(people),
    }


def register() -> None:
    register_generator("petitions", generate_petitions, after=("org",))
