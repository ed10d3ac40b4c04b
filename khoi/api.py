"""The JSON API under /api/v1/ (django-ninja). Same access rules as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from khoi import clock
from khoi.accounts.models import ApiToken
from khoi.accounts.services import needs_2fa_setup
from khoi.http import service_errors


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True
            )
            .first()
        )
        if row is None:
            return None
        if needs_2fa_setup(row.user):  # a key works only once its owner has two-factor
            return None
        if row.last_used_at is None or (clock.real_now() - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=clock.real_now())
        request.user = row.user
        return row.user


api = NinjaAPI(
    title="Khối API",
    version="1",
    description="API của Khối: đơn vị hành chính, tổ chức, cơ quan Khối, cán bộ.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input that does not fit the schema: 422 with a message per field."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        skip = ("body", "payload", "query", "path", "form", "file")
        loc = [str(p) for p in err.get("loc", []) if p not in skip]
        field = ".".join(loc) or "__all__"
        errors.setdefault(field, []).append(_field_message(err))
    return api.create_response(
        request, {"detail": _("The data is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def on_service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the change: 422 with its messages (the one path, ``khoi.http``)."""
    return api.create_response(
        request, {"detail": _("The data is not valid."), "errors": service_errors(exc)}, status=422
    )


@api.exception_handler(BadRequest)
def on_bad_query(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "errors": {}}, status=400)


def _field_message(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length", "")}
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        return _("The number is out of range.")
    if kind in ("too_long", "too_short"):
        return _("Too many or too few items.")
    if kind in ("enum", "literal_error"):
        return _("Unknown value.")
    if kind.startswith("int"):
        return _("Must be a whole number.")
    if kind.startswith("string"):
        return _("Must be valid text.")
    if kind.startswith("bool"):
        return _("Must be true or false.")
    if kind.startswith("date"):
        return _("Not a valid date (YYYY-MM-DD).")
    return _("Not a valid value.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """404 in Vietnamese (django-ninja's own answer is "Not Found"), always the text of
    ``accounts.access.not_found``: the same for missing and forbidden objects, and never
    the English of a ``get_object_or_404``."""
    from khoi.accounts.access import not_found

    return api.create_response(request, {"detail": str(not_found())}, status=404)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Not signed in, or the token is not valid.")}, status=401
    )


api.add_router("/", "khoi.org.api.router")
api.add_router("/", "khoi.work.api.router")
api.add_router("/", "khoi.meetings.api.router")
api.add_router("/", "khoi.documents.api.router")
api.add_router("/", "khoi.petitions.api.router")
api.add_router("/", "khoi.fund.api.router")
api.add_router("/campaigns/", "khoi.campaigns.api.router")
api.add_router("/oversight/", "khoi.oversight.api.router")
