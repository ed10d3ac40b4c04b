"""Small factories for the social criticism and feedback tests (a fixed product date)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from khoi.oversight.models.criticism import Critique
from khoi.oversight.services import criticism as services

TODAY = datetime.date(2025, 10, 20)  # a Monday (the app's tests freeze this day)
NOW = datetime.datetime(2025, 10, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
D = datetime.date
DRAFT_TEXT = """Căn cứ Nghị quyết số 04-NQ/TW, Ban Chấp hành xây dựng Chương trình như sau.
I. MỤC ĐÍCH, YÊU CẦU
Quán triệt Nghị quyết đến cán bộ, đảng viên.
II. NHIỆM VỤ, GIẢI PHÁP
1. Về công tác chính trị, tư tưởng.
2. Về kiểm tra, giám sát.
III. TỔ CHỨC THỰC HIỆN
Các chi bộ xây dựng kế hoạch."""


RECEIVED = D(2025, 10, 1)
DUE = D(2025, 10, 24)


def draft(
    world: Any, *, received_on: datetime.date = RECEIVED, due_on: datetime.date = DUE, **kwargs: Any
) -> Critique:
    data: dict[str, Any] = {
        "title": "Dự thảo Chương trình hành động thực hiện Nghị quyết 04-NQ/TW",
        "draft_kind": "programme",
        "drafting_body": "Ban Thường vụ Thị ủy",
        "form": "conference",
        "text": DRAFT_TEXT,
    }
    data.update(kwargs)
    return services.do_receive_draft(
        world.users["staff"], world.office, received_on=received_on, due_on=due_on, **data
    )


def with_points(world: Any) -> tuple[Critique, list[Any]]:
    """A draft with three points: one general (an expert), one on section I (a member),
    one on section II (the Women's Union, by its leader)."""
    c = draft(world)
    sections = list(c.sections.order_by("order"))
    staff = world.users["staff"]
    p1 = services.do_add_comment(
        staff, c, content="Cần lộ trình rõ ràng.", author_kind="expert",
        author_name="TS. Nguyễn Văn An", given_on=D(2025, 10, 6),
    )  # fmt: skip
    p2 = services.do_add_comment(
        staff, c, content="Bổ sung lấy ý kiến nơi cư trú.", author_kind="member",
        author_name="Nguyễn Văn Hùng", section=sections[1], given_on=D(2025, 10, 6),
    )  # fmt: skip
    p3 = services.do_add_comment(
        world.users["org_leader"], c, content="Cụ thể hóa cơ chế giám sát người đứng đầu.",
        author_kind="organization", organization=world.women, section=sections[2],
        given_on=D(2025, 10, 7),
    )  # fmt: skip
    return c, [p1, p2, p3]
