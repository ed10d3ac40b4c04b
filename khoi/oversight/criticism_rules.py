"""The default periods of social criticism, loaded after ``migrate`` (a ``post_migrate``
handler, so whatever the app's migrations become; also by the demo) into
:class:`~khoi.oversight.models.CriticismRule`, where the site administrator corrects them.
They are data with their source and dates in force, never constants in the code: the check
of a draft received uses the row in force on the day it was received.

The sources are the Party's rules on supervision and social criticism (Decision
217-QĐ/TW of 12/12/2013, replaced by Regulation 124-QĐ/TW of 04/10/2023) and the Law on
the Vietnam Fatherland Front 2015 (75/2015/QH13, in force 01/01/2016) with the joint
resolution 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN that details it. The number of days
of each row is a default to check against the published text (article and clause) before
relying on it; every row says so in its note until the administrator confirms it.
"""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date
CHECK_NOTE = (
    "Giá trị mặc định khi cài đặt; đối chiếu với văn bản gốc (điều, khoản) và sửa trong "
    "trang quản trị nếu khác."
)

# kind, days, counting, source, article, valid_from, valid_until
# The Party rule's dates are those of khoi/oversight/statutory.py (LEGAL_BASES): 217-QĐ/TW in
# force until 03/10/2023, 124-QĐ/TW from 04/10/2023; the Law in force from 01/01/2016.
_RULE_217 = (
    "Quyết định 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị (Quy chế giám sát và phản biện xã hội)"
)
_RULE_124 = (
    "Quy định 124-QĐ/TW ngày 04/10/2023 của Ban Bí thư (giám sát và phản biện xã hội, "
    "thay thế 217-QĐ/TW)"
)
_LAW = (
    "Luật Mặt trận Tổ quốc Việt Nam 2015 (75/2015/QH13); Nghị quyết liên tịch "
    "403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN"
)
RULES: list[tuple[str, int, str, str, str, datetime.date, datetime.date | None]] = [
    ("lead", 15, "calendar", _RULE_217,
     "Chương III (phản biện xã hội)", D(2013, 12, 12), D(2015, 12, 31)),
    ("lead", 15, "calendar", f"{_LAW}; {_RULE_217}",
     "Chương V, Mục 2 (phản biện xã hội)", D(2016, 1, 1), D(2023, 10, 3)),
    ("lead", 15, "calendar", f"{_LAW}; {_RULE_124}",
     "Chương V, Mục 2 (phản biện xã hội)", D(2023, 10, 4), None),
    ("answer", 15, "calendar", _RULE_217,
     "Chương III (phản biện xã hội)", D(2013, 12, 12), D(2015, 12, 31)),
    ("answer", 15, "calendar", f"{_LAW}; {_RULE_217}",
     "Chương V, Mục 2 (tiếp thu, giải trình ý kiến phản biện)", D(2016, 1, 1), D(2023, 10, 3)),
    ("answer", 15, "calendar", f"{_LAW}; {_RULE_124}",
     "Chương V, Mục 2 (tiếp thu, giải trình ý kiến phản biện)", D(2023, 10, 4), None),
]  # fmt: skip


def load(apps: Any) -> None:
    """Create the default rows of a kind that has none yet; never changes or re-creates a
    row of a kind the administrator keeps."""
    rule_model = apps.get_model("oversight", "CriticismRule")
    kept = set(rule_model.objects.values_list("kind", flat=True).distinct())
    for kind, days, counting, source, article, since, until in RULES:
        if kind in kept:
            continue
        rule_model.objects.get_or_create(
            kind=kind,
            valid_from=since,
            defaults={
                "days": days,
                "counting": counting,
                "source": source,
                "article": article,
                "valid_until": until,
                "note": CHECK_NOTE,
            },
        )


def on_post_migrate(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` of the oversight app: load the defaults into a fresh database (and
    after a test flush)."""
    if apps is None:  # a test flush sends no ``apps``: the global registry then
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        apps.get_model("oversight", "CriticismRule")
    except LookupError:
        return
    load(apps)
