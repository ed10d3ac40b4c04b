"""Who may see and do what in campaigns.

- Reading a campaign, its indicators, ranking and models: the office's staff and head,
  viewers granted a unit containing the office, members of the campaign's organizations,
  and the reporters of communes inside the office's unit (they see their own figures
  only). Everyone else: 404.
- Entering figures: the reporter of that commune only (their own units: the commune and
  its residential areas), never for another commune (404 on pages, 422 in the API).
- Approving, returning, reopening, scoring, clusters, proposals: office staff and head.
- Council votes and award decisions: the office head.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khoi.accounts.access import full_read_office_ids, get_scope, not_found
from khoi.campaigns.models import Campaign, Cluster, PracticeModel, Proposal, Submission
from khoi.org.models import AdminUnit, JointOffice, ResidentialArea


def _office_q(user: Any, field: str) -> Q | None:
    """Q on ``field`` (an office id) for the offices the user reads campaigns of; None = all.

    The offices the user reads fully, those of the organizations the user is a member of,
    and, for a commune reporter, the offices of the district and province above the commune:
    each an ``IN`` over a small subquery (the office links of the user's organizations; the
    offices of two units). The former condition ORed across every office LEFT JOINed to its
    organizations, with ``DISTINCT``: a read of all 3,321 offices and their 20,000 links at
    national size, four times on the list page (bench/README.md, "Session 6")."""
    scope = get_scope(user)
    ids = full_read_office_ids(scope)
    if ids is None:
        return None
    q = Q(**{f"{field}__in": ids}) if ids else Q(pk__in=[])
    if scope.member_org_ids:
        links = JointOffice.organizations.through.objects.filter(
            organization_id__in=scope.member_org_ids
        )
        q |= Q(**{f"{field}__in": links.values("jointoffice_id")})
    if scope.reporter_unit_ids:
        mine = AdminUnit.objects.filter(pk__in=scope.reporter_unit_ids)
        above = Q(unit__in=mine.values("district_id")) | Q(unit__in=mine.values("province_id"))
        q |= Q(**{f"{field}__in": JointOffice.objects.filter(above).order_by().values("pk")})
    return q


def office_ids_for_user(user: Any) -> set[int] | None:
    """The ids of :func:`offices_for_user`; None = all (admin)."""
    q = _office_q(user, "pk")
    if q is None:
        return None
    return set(JointOffice.objects.filter(q).values_list("pk", flat=True))


def offices_for_user(user: Any) -> QuerySet[JointOffice]:
    q = _office_q(user, "pk")
    qs = JointOffice.objects.all() if q is None else JointOffice.objects.filter(q)
    return qs.select_related("unit").order_by("name")


def campaigns_for_user(user: Any) -> QuerySet[Campaign]:
    q = _office_q(user, "office_id")
    return Campaign.objects.all() if q is None else Campaign.objects.filter(q)


def get_campaign_for_user(user: Any, pk: int) -> Campaign:
    campaign = (
        campaigns_for_user(user).select_related("office__unit", "launch_document").filter(pk=pk)
    ).first()
    if campaign is None:
        raise not_found()
    return campaign


def can_manage(user: Any, office: JointOffice) -> bool:
    scope = get_scope(user)
    return scope.is_admin or office.pk in scope.staff_office_ids


def is_head(user: Any, office: JointOffice) -> bool:
    scope = get_scope(user)
    return scope.is_admin or office.pk in scope.head_office_ids


def reads_all_figures(user: Any, office: JointOffice) -> bool:
    ids = full_read_office_ids(get_scope(user))
    return ids is None or office.pk in ids


def reporter_communes(user: Any) -> set[int]:
    return set(get_scope(user).reporter_unit_ids)


def can_enter(user: Any, commune_id: int) -> bool:
    return commune_id in get_scope(user).reporter_unit_ids


def office_communes(office: JointOffice) -> QuerySet[AdminUnit]:
    """Communes under the office's unit (the units that report to it)."""
    unit = office.unit
    qs = AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, era=unit.era)
    if unit.level == AdminUnit.Level.PROVINCE:
        return qs.filter(province=unit)
    if unit.level == AdminUnit.Level.DISTRICT:
        return qs.filter(district=unit)
    return qs.filter(pk=unit.pk)


def get_commune_for_user(user: Any, campaign: Campaign, pk: int) -> AdminUnit:
    """A commune of the campaign's office the user may read figures of (404 otherwise)."""
    commune = office_communes(campaign.office).filter(pk=pk).first()
    if commune is None:
        raise not_found()
    if not (reads_all_figures(user, campaign.office) or can_enter(user, commune.pk)):
        raise not_found()
    return commune


def get_commune_and_areas_for_user(
    user: Any, campaign: Campaign, pk: int
) -> tuple[AdminUnit, list[ResidentialArea]]:
    """:func:`get_commune_for_user` and the commune's residential areas (by name), in one
    query when the commune has areas (the commune joined to them), two otherwise."""
    areas = list(
        ResidentialArea.objects.filter(commune__in=office_communes(campaign.office), commune=pk)
        .select_related("commune")
        .order_by("name")
    )
    if not areas:
        return get_commune_for_user(user, campaign, pk), []
    commune = areas[0].commune
    if not (reads_all_figures(user, campaign.office) or can_enter(user, commune.pk)):
        raise not_found()
    for area in areas:
        area.commune = commune
    return commune, areas


def get_submission_for_user(user: Any, pk: int) -> Submission:
    sub = (
        Submission.objects.select_related("campaign__office__unit", "commune")
        .filter(pk=pk, campaign__in=campaigns_for_user(user))
        .first()
    )
    if sub is None:
        raise not_found()
    if not (reads_all_figures(user, sub.campaign.office) or can_enter(user, sub.commune_id)):
        raise not_found()
    return sub


def clusters_for_user(user: Any) -> QuerySet[Cluster]:
    q = _office_q(user, "office_id")
    return Cluster.objects.all() if q is None else Cluster.objects.filter(q)


def get_cluster_for_user(user: Any, pk: int) -> Cluster:
    cluster = clusters_for_user(user).select_related("office__unit").filter(pk=pk).first()
    if cluster is None:
        raise not_found()
    return cluster


def models_for_user(user: Any) -> QuerySet[PracticeModel]:
    q = _office_q(user, "office_id")
    return PracticeModel.objects.all() if q is None else PracticeModel.objects.filter(q)


def get_model_for_user(user: Any, pk: int) -> PracticeModel:
    model = models_for_user(user).select_related("office").filter(pk=pk).first()
    if model is None:
        raise not_found()
    return model


def proposals_for_user(user: Any) -> QuerySet[Proposal]:
    """Proposals: read by the office's full readers and by the proposing organization's members."""
    scope = get_scope(user)
    ids = full_read_office_ids(scope)
    if ids is None:
        return Proposal.objects.all()
    return Proposal.objects.filter(Q(office_id__in=ids) | Q(proposer_id__in=scope.member_org_ids))


def get_proposal_for_user(user: Any, pk: int) -> Proposal:
    proposal = (
        proposals_for_user(user)
        .select_related("office__unit", "form", "proposer", "campaign", "decision_document")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise not_found()
    return proposal
