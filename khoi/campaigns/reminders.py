"""Email reminders to communes that have not reported (the same mechanism as task reminders:
one message per recipient, at most one reminder a day per commune and period, audited).

For every campaign in progress and every reporting period kind of its indicators, the
period that ended last is due; a commune whose figures of that period are not submitted
(missing, being entered or returned) is reminded. Recipients: the active commune reporters
(memberships with the reporter role in an organization of the commune) with an address.
Logs carry ids and counts only.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from khoi.audit import services as audit
from khoi.campaigns import access
from khoi.campaigns import periods as P
from khoi.campaigns.models import Campaign, Reminder, Submission
from khoi.ops import mail
from khoi.org.models import Membership, active_q

logger = logging.getLogger(__name__)

# E-mails go out in the site's language (Vietnamese) whatever the sender's UI language.
SUBJECT = _("[Khối] Figures to report for %(period)s: %(title)s")
BODY = _(
    "Dear comrade,\n\n"
    "%(commune)s has not yet sent its figures for %(period)s of the %(kind)s “%(title)s”.\n\n"
    "Enter and send the figures at: %(link)s\n\n"
    "This message is sent automatically by Khối, at most once a day for each reporting "
    "period.\n"
)


def due_period(kind: str, today: datetime.date) -> P.Period:
    """The last period of ``kind`` that has ended by ``today``."""
    current = P.period_containing(today, kind)
    start, _end = current.bounds()
    return P.period_containing(start - datetime.timedelta(days=1), kind)


def reporter_emails(commune_ids: list[int], today: datetime.date) -> dict[int, list[str]]:
    rows = (
        Membership.objects.filter(
            active_q(day=today),
            role=Membership.Role.REPORTER,
            organization__unit__in=commune_ids,
            person__is_active=True,
        )
        .exclude(person__email="")
        .values_list("organization__unit_id", "person__email")
        .order_by("person_id")
    )
    out: dict[int, list[str]] = {}
    for unit_id, email in rows:
        if email.lower() not in {e.lower() for e in out.get(unit_id, [])}:
            out.setdefault(unit_id, []).append(email)
    return out


def send_missing_reminders(
    today: datetime.date, campaign: Campaign | None = None, communes_where: Q | None = None
) -> int:
    """Remind every commune that has not submitted the last ended period (only the communes
    ``communes_where`` matches when given: one province's, for a task per province).
    Returns the count."""
    campaigns = Campaign.objects.filter(start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today - datetime.timedelta(days=366))
    )
    if campaign is not None:
        campaigns = campaigns.filter(pk=campaign.pk)
    sent = 0
    mail.deliver_pending()  # what a killed run had queued
    base = str(getattr(settings, "KHOI_SITE_URL", "") or "").rstrip("/")
    for camp in campaigns.select_related("office__unit"):
        kinds = set(camp.indicators.values_list("period_kind", flat=True))
        communes = list(
            access.office_communes(camp.office).filter(communes_where or Q()).order_by("pk")
        )
        emails = reporter_emails([c.pk for c in communes], today)
        for kind in sorted(kinds, key=P.KINDS.index):
            period = due_period(kind, today)
            first_day, last_day = period.bounds()
            if last_day < camp.start_on:
                continue
            if camp.end_on is not None and first_day > camp.end_on:
                continue  # the campaign had ended before this period began
            done = set(
                Submission.objects.filter(
                    campaign=camp,
                    period=period.code,
                    status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
                ).values_list("commune_id", flat=True)
            )
            already = set(
                Reminder.objects.filter(
                    campaign=camp, period=period.code, sent_on=today
                ).values_list("commune_id", flat=True)
            )
            for commune in communes:
                to = emails.get(commune.pk, [])
                if commune.pk in done or commune.pk in already or not to:
                    continue
                path = reverse("campaigns:entry", args=[camp.pk, commune.pk, period.code])
                with translation.override(settings.LANGUAGE_CODE):
                    subject = str(SUBJECT) % {"period": period.label(), "title": camp.title}
                    body = str(BODY) % {
                        "commune": commune.name,
                        "period": period.label(),
                        "kind": camp.get_kind_display(),
                        "title": camp.title,
                        "link": f"{base}{path}",
                    }
                try:
                    with transaction.atomic():
                        reminder = Reminder.objects.create(
                            campaign=camp,
                            commune=commune,
                            period=period.code,
                            sent_on=today,
                            recipients=len(to),
                        )
                        mail.queue(
                            f"figures-reminder:{camp.pk}:{commune.pk}:{period.code}:{today}",
                            to,
                            subject,
                            body,
                        )
                        audit.record(
                            None,
                            "figures.remind",
                            reminder,
                            {"period": [None, period.code], "recipients": [None, len(to)]},
                            office_id=camp.office_id,
                        )
                except IntegrityError:
                    continue
                except Exception:
                    logger.exception("campaign reminder failed: campaign=%s", camp.pk)
                    continue
                sent += 1
                logger.info(
                    "campaign reminder sent: campaign=%s commune=%s recipients=%d",
                    camp.pk,
                    commune.pk,
                    len(to),
                )
    mail.deliver_pending()
    return sent
