"""Email reminders before each petition deadline and when it is overdue.

``send_deadline_reminders(today, days_before)`` (the ``petition_reminders`` command, daily):
each running deadline due within ``days_before`` working days, or overdue, is reminded at
most once a day (``PetitionDeadline.reminded_on``) to the case handler, or to the office
heads when nobody is assigned. Emails and logs carry the register number, the subject
line's rule and dates only: never a petitioner's identity.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from khoi.ops import mail
from khoi.org.models import Membership
from khoi.petitions.models import OPEN_STATUSES, CaseAssignment, PetitionDeadline
from khoi.petitions.services import work_calendar

logger = logging.getLogger(__name__)

# In the product's language (settings.LANGUAGE_CODE) whatever the caller's language.
SUBJECT = _("[Khối] Petition no. %(label)s: %(state)s")
BODY = _(
    "Dear comrade,\n\nPetition no. %(label)s (%(kind)s) %(state)s.\n\n"
    "To do: %(title)s\nDeadline: %(due)s — %(source)s\n\nSee and update it at: %(link)s\n\n"
    "This message is sent automatically by Khối, at most once a day for each deadline.\n"
)
STATE_OVERDUE = _("is %(days)s days overdue")
STATE_TODAY = _("is due today")
STATE_SOON = _("is due soon (%(days)s working days left)")


def _recipients(deadline: PetitionDeadline, today: datetime.date) -> list[str]:
    petition = deadline.petition
    assignment = (
        CaseAssignment.objects.filter(petition=petition, ended_at__isnull=True)
        .select_related("handler")
        .first()
    )
    if assignment is not None and assignment.handler.email:
        return [assignment.handler.email]
    User = get_user_model()
    heads = User.objects.filter(
        person__memberships__office_id=petition.office_id,
        person__memberships__role=Membership.Role.OFFICE_HEAD,
        person__memberships__start_on__lte=today,
    ).filter(
        Q(person__memberships__end_on__isnull=True) | Q(person__memberships__end_on__gte=today)
    )
    return sorted({u.email for u in heads if u.email})


def send_deadline_reminders(
    today: datetime.date, days_before: int = 2, where: Q | None = None
) -> int:
    """Remind the deadlines due soon or overdue (only those ``where`` matches when given:
    one province's, for a task per province). Returns the count reminded."""
    calendar = work_calendar()
    horizon = calendar.add_working_days(today, days_before)
    due = (
        PetitionDeadline.objects.filter(
            state=PetitionDeadline.State.OPEN,
            due__lte=horizon,
            petition__status__in=OPEN_STATUSES,
        )
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .filter(where or Q())
        .select_related("petition")
        .order_by("due", "id")
    )
    sent = 0
    mail.deliver_pending()  # what a killed run had queued
    for d in due:
        petition = d.petition
        link = settings.KHOI_SITE_URL + reverse("petitions:petition_detail", args=[petition.pk])
        with translation.override(settings.LANGUAGE_CODE):
            if d.due < today:
                state = str(STATE_OVERDUE) % {"days": (today - d.due).days}
            elif d.due == today:
                state = str(STATE_TODAY)
            else:
                state = str(STATE_SOON) % {"days": calendar.working_days_between(today, d.due)}
            subject = str(SUBJECT) % {"label": petition.label, "state": state}
            body = str(BODY) % {
                "label": petition.label, "kind": petition.get_kind_display(), "state": state,
                "title": d.title, "due": d.due.strftime("%d/%m/%Y"), "source": d.source,
                "link": link,
            }  # fmt: skip
        with transaction.atomic():
            # claim the deadline for today and queue its messages together (khoi.ops.mail)
            claimed = (
                PetitionDeadline.objects.filter(pk=d.pk)
                .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            mail.queue(
                f"petition-reminder:{d.pk}:{today.isoformat()}",
                _recipients(d, today),
                subject,
                body,
            )
        sent += 1
        logger.info("petition deadline reminder: petition=%s deadline=%s", petition.pk, d.pk)
    mail.deliver_pending()
    return sent
