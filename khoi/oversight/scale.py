"""Synthetic oversight at scale (``generate_scale``, registered after ``org``).

Per commune office of the generator, from ``ctx.rng`` only (the same seed gives the same
rows): the yearly supervision programmes of the Front and the Women's Union (adopted in the
last quarter of the year before), supervisions of the commune's People's Committee or of a
province department (planned, under way or done with their report), one draft for social
criticism with its sections and points (critique issued and answered), one feedback round
with opinions from residents' meetings, organizations and citizens (report sent), and the
recommendations of the register from all three sources, with the answers of those answered
(accepted, partly, not accepted) and some overdue.

The densities follow the activities' density of the run: at the national preset (about 301
activities per commune) a commune office has ``PER_COMMUNE`` rows of each kind, i.e. about
200,000 recommendations over 3,321 communes (the register's benchmark, issue #11); smaller
runs scale every count down in proportion (at least one of each). Rows are written with
``scale.bulk_insert``; the derived columns (folded titles, body keys, search text) are
filled as the models' ``save()`` fills them. No audit entries, like the other generators.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from khoi.lib.vntext import fold
from khoi.ops.scale import ScaleContext, bulk_insert, per_commune, register_generator

# at the national preset (200,000 recommendations over 3,321 communes ≈ 60 per commune)
PER_COMMUNE = {
    "supervisions": 8,
    "recommendations": 60,
    "critiques": 1,
    "rounds": 1,
}
SECTIONS, POINTS, OPINIONS = 3, 6, 8
SUBJECTS = [
    "Giám sát công tác bồi thường, hỗ trợ, tái định cư khi thu hồi đất",
    "Giám sát việc bình xét hộ nghèo, hộ cận nghèo",
    "Giám sát thực hiện quy chế dân chủ ở cơ sở",
    "Giám sát việc thực hiện chính sách bảo hiểm y tế cho người cao tuổi",
    "Giám sát đầu tư xây dựng đường giao thông nông thôn",
    "Giám sát công tác bảo đảm vệ sinh an toàn thực phẩm",
    "Giám sát việc thu gom, xử lý rác thải sinh hoạt",
    "Giám sát việc giải quyết đơn thư của công dân",
]
CONTENTS = [
    "Công khai phương án bồi thường, hỗ trợ tại nhà văn hóa khu dân cư",
    "Chi trả dứt điểm tiền hỗ trợ cho các hộ đã bàn giao mặt bằng",
    "Rà soát danh sách hộ nghèo, hộ cận nghèo trước khi bình xét",
    "Tổ chức đối thoại với các hộ còn khiếu nại",
    "Niêm yết công khai thủ tục hành chính tại trụ sở",
    "Xử lý dứt điểm điểm tập kết rác thải tự phát",
    "Bố trí kinh phí duy tu các tuyến đường liên thôn",
    "Trả lời bằng văn bản các kiến nghị của cử tri",
]
DEPARTMENTS = ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Y tế", "Sở Nội vụ"]
FORMS = ["documents", "delegation", "delegation", "inspection_board", "investment_board"]
HEADINGS = ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"]
AUTHORS = [("member", "Ủy viên Ủy ban MTTQ"), ("expert", "Chuyên gia"),
           ("organization", "")]  # fmt: skip
RESPONSES = ["accepted", "accepted", "partly", "not_accepted"]
OUTCOMES = ["accepted", "accepted", "partly", "rejected"]
EXPLANATION = "Giải trình của cơ quan soạn thảo"
OPINION_SOURCES = ["residents", "residents", "organization", "citizen"]


def _count(ctx: ScaleContext, name: str) -> int:
    ratio = ctx.density.get("activities", 0) / max(1, per_commune("activities"))
    return max(1, round(PER_COMMUNE[name] * ratio))


def _day(ctx: ScaleContext, first_month: int = 1, last_month: int = 12) -> dt.date:
    start = dt.date(ctx.year, first_month, 1)
    end = dt.date(ctx.year, last_month, 28)
    return start + dt.timedelta(days=ctx.rng.randrange((end - start).days + 1))


def generate_oversight(ctx: ScaleContext) -> dict[str, int]:
    from khoi.oversight import statutory
    from khoi.oversight.models import (
        Programme,
        Recommendation,
        RecommendationAnswer,
        Supervision,
    )
    from khoi.oversight.models.criticism import Critique, CritiqueComment, CritiqueSection
    from khoi.oversight.models.feedback import FeedbackOpinion, FeedbackRound
    from khoi.oversight.models.recommendations import body_key

    rng = ctx.rng
    statutory.ensure_defaults()
    basis = statutory.legal_basis_on(dt.date(ctx.year, 1, 1))
    keys: dict[str, str] = {}

    def key(body: str) -> str:
        return keys.get(body) or keys.setdefault(body, body_key(body))

    n_sup, n_rec = _count(ctx, "supervisions"), _count(ctx, "recommendations")
    n_crit, n_round = _count(ctx, "critiques"), _count(ctx, "rounds")
    programmes: list[Any] = []
    for commune in ctx.communes:
        office, orgs = ctx.offices[commune.pk], ctx.organizations[commune.pk][:2]
        programmes += [
            Programme(
                office=office, organization=org, year=ctx.year, status="adopted",
                title=f"Chương trình giám sát, phản biện xã hội năm {ctx.year} của {org.name}",
                adopted_on=dt.date(ctx.year - 1, 12, 15),
            )
            for org in orgs
        ]  # fmt: skip
    bulk_insert(Programme, programmes)

    sups: list[Any] = []
    for n, commune in enumerate(ctx.communes):
        office = ctx.offices[commune.pk]
        own = programmes[n * 2 : n * 2 + 2]
        for _ in range(n_sup):
            prog = rng.choice(own)
            start = _day(ctx, 1, 11)
            until = start + dt.timedelta(days=rng.choice((5, 10, 20, 30)))
            subject = rng.choice(SUBJECTS)
            body = (
                f"UBND {commune.name}"
                if rng.random() < 0.8
                else f"{rng.choice(DEPARTMENTS)} {ctx.province.name}"
            )
            done = until < dt.date(ctx.year, 10, 1)
            sups.append(
                Supervision(
                    office=office, programme=prog, organization=prog.organization,
                    subject=subject, subject_folded=fold(subject)[:300], body=body,
                    body_key=key(body), form=rng.choice(FORMS), legal_basis=basis,
                    planned_from=start, planned_until=until,
                    status="done" if done else "planned",
                    decision_on=start - dt.timedelta(days=7) if done else None,
                    plan_sent_on=start - dt.timedelta(days=5) if done else None,
                    report_on=until + dt.timedelta(days=10) if done else None,
                    summary="Kết quả giám sát (dữ liệu tổng hợp)" if done else "",
                )
            )  # fmt: skip
    bulk_insert(Supervision, sups)

    critiques: list[Any] = []
    for commune in ctx.communes:
        for i in range(n_crit):
            received = _day(ctx, 2, 8)
            title = f"Dự thảo Kế hoạch phát triển kinh tế - xã hội {commune.name} số {i + 1}"
            due = received + dt.timedelta(days=20)
            issued = due - dt.timedelta(days=2)
            critiques.append(
                Critique(
                    office=ctx.offices[commune.pk], title=title, title_folded=fold(title)[:400],
                    draft_kind=rng.choice(["plan", "programme", "scheme"]),
                    drafting_body=f"UBND {commune.name}", received_on=received, due_on=due,
                    form=rng.choice(["conference", "written", "dialogue"]), status="answered",
                    issued_on=issued, answered_on=issued + dt.timedelta(days=15),
                    answer_summary="Tiếp thu, giải trình các ý kiến phản biện.",
                )
            )  # fmt: skip
    bulk_insert(Critique, critiques)
    sections = [
        CritiqueSection(critique=c, order=i + 1, heading=h, text="Nội dung của dự thảo.")
        for c in critiques
        for i, h in enumerate(HEADINGS)
    ]
    bulk_insert(CritiqueSection, sections)
    points: list[Any] = []
    for n, c in enumerate(critiques):
        own_sections = sections[n * SECTIONS : (n + 1) * SECTIONS]
        orgs = ctx.organizations[c.office.unit_id]
        for p in range(POINTS):
            kind, name = AUTHORS[p % len(AUTHORS)]
            org = rng.choice(orgs) if kind == "organization" else None
            response = rng.choice(RESPONSES)
            points.append(
                CritiqueComment(
                    critique=c, section=rng.choice([None, *own_sections]), author_kind=kind,
                    author_name=org.name if org else f"{name} {p + 1}", organization=org,
                    content=f"{rng.choice(CONTENTS)} (ý kiến {p + 1})",
                    given_on=c.received_on + dt.timedelta(days=rng.randrange(1, 15)),
                    response=response,
                    response_note="" if response == "accepted" else EXPLANATION,
                )
            )  # fmt: skip
    bulk_insert(CritiqueComment, points)

    rounds: list[Any] = []
    for commune in ctx.communes:
        for i in range(n_round):
            start = _day(ctx, 3, 9)
            title = f"Góp ý xây dựng Đảng, chính quyền {commune.name} đợt {i + 1}"
            rounds.append(
                FeedbackRound(
                    office=ctx.offices[commune.pk], title=title, title_folded=fold(title)[:400],
                    subject_kind=rng.choice(["cadres", "party_members", "organizations"]),
                    subject="Việc tu dưỡng, rèn luyện đạo đức, lối sống của cán bộ, đảng viên",
                    start_on=start, end_on=start + dt.timedelta(days=30),
                    send_to="Ban Thường vụ Đảng ủy", status="reported",
                    reported_on=start + dt.timedelta(days=40),
                )
            )  # fmt: skip
    bulk_insert(FeedbackRound, rounds)
    opinions: list[Any] = []
    for r in rounds:
        commune_pk = r.office.unit_id
        orgs = ctx.organizations[commune_pk]
        for o in range(OPINIONS):
            kind = OPINION_SOURCES[o % len(OPINION_SOURCES)]
            org = rng.choice(orgs) if kind == "organization" else None
            names = {"residents": f"Hội nghị khu dân cư số {o + 1}", "citizen": f"Công dân {o + 1}"}
            opinions.append(
                FeedbackOpinion(
                    round=r, source_kind=kind, source_name=org.name if org else names[kind],
                    organization=org, commune_id=commune_pk if kind == "residents" else None,
                    content=f"Đề nghị {rng.choice(CONTENTS).lower()}",
                    received_on=r.start_on + dt.timedelta(days=rng.randrange(30)),
                )
            )  # fmt: skip
    bulk_insert(FeedbackOpinion, opinions)

    recs: list[Any] = []
    by_commune_sups = {c.pk: sups[n * n_sup : (n + 1) * n_sup] for n, c in enumerate(ctx.communes)}
    by_commune_points = {
        c.pk: points[n * n_crit * POINTS : (n + 1) * n_crit * POINTS]
        for n, c in enumerate(ctx.communes)
    }
    by_commune_rounds = {
        c.pk: rounds[n * n_round : (n + 1) * n_round] for n, c in enumerate(ctx.communes)
    }
    critique_urls = {c.pk: reverse("oversight:critique_detail", args=[c.pk]) for c in critiques}
    for commune in ctx.communes:
        office = ctx.offices[commune.pk]
        for i in range(n_rec):
            roll = rng.random()
            supervision = None
            organization = None
            if roll < 0.6:
                supervision = rng.choice(by_commune_sups[commune.pk])
                kind, source_id, title, url = "supervision", supervision.pk, supervision.subject, ""
                body, subject = supervision.body, supervision.subject[:200]
                organization = supervision.organization
                issued = supervision.report_on or supervision.planned_until
            elif roll < 0.8:
                point = rng.choice(by_commune_points[commune.pk])
                c = point.critique
                kind, source_id = "criticism", point.pk
                title = f"Ý kiến phản biện đối với “{c.title}”"
                url = f"{critique_urls[c.pk]}#point-{point.pk}"
                body, subject, issued = c.drafting_body, c.title[:200], c.answered_on
            else:
                r = rng.choice(by_commune_rounds[commune.pk])
                kind, source_id, title = "feedback", r.pk, r.title
                url = reverse("oversight:feedback_detail", args=[r.pk])
                body, subject, issued = f"UBND {commune.name}", r.subject[:200], r.reported_on
            content = f"{CONTENTS[i % len(CONTENTS)]} (số {i + 1})"
            due = issued + dt.timedelta(days=30)
            status, answered = "open", None
            fate = rng.random()
            if fate < 0.62:
                status = rng.choice(OUTCOMES)
                answered = issued + dt.timedelta(days=rng.randrange(5, 60))
            elif fate < 0.64:
                status = "withdrawn"
            recs.append(
                Recommendation(
                    office=office, organization=organization, source_kind=kind,
                    source_id=source_id, source_title=title[:300], source_url=url[:300],
                    supervision=supervision, body=body, body_key=key(body), subject=subject,
                    content=content, search_folded=fold(f"{body} {subject} {content}"),
                    issued_on=issued, due_on=due, status=status, answered_on=answered,
                )
            )  # fmt: skip
    bulk_insert(Recommendation, recs)
    answers = [
        RecommendationAnswer(
            recommendation=r, answered_on=r.answered_on, outcome=r.status,
            explanation="" if r.status == "accepted" else "Cơ quan được kiến nghị giải trình",
        )
        for r in recs
        if r.answered_on is not None
    ]  # fmt: skip
    bulk_insert(RecommendationAnswer, answers)
    return {
        "oversight.Programme": len(programmes),
        "oversight.Supervision": len(sups),
        "oversight.Critique": len(critiques),
        "oversight.CritiqueSection": len(sections),
        "oversight.CritiqueComment": len(points),
        "oversight.FeedbackRound": len(rounds),
        "oversight.FeedbackOpinion": len(opinions),
        "oversight.Recommendation": len(recs),
        "oversight.RecommendationAnswer": len(answers),
    }


def register() -> None:
    register_generator("oversight", generate_oversight, after=("org",))
