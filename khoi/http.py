"""One path from bad input or a service's refusal to the user, for pages and the API.

- ``service_errors(exc)``: a ``ValidationError`` raised by a service as ``{field: [messages]}``
  (``"__all__"`` for the whole request); the API's exception handler (``khoi/api.py``)
  answers it as 422 with ``ErrorOut``; pages put it on their form with
  ``add_service_errors(form, exc)`` or show it with ``message_errors(request, exc)``.
- ``query_int``, ``parse_int``, ``parse_date``: read a query value or answer 400
  (``BadQuery``, a Django ``BadRequest``) with a Vietnamese message, never a 500 (integers
  beyond 64 bits, years a calendar cannot show, impossible dates).
- ``DbInt``, ``PageNumberPagination``: the API's integers and page numbers, bounded to what
  the database holds (422 otherwise, through the schema).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as _NinjaPages

# The largest value a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_DB_INT = 2**63 - 1
# Years a calendar page shows (the product's dates are 20th/21st century).
MIN_YEAR, MAX_YEAR = 1900, 2200
# No list has that many pages; the API refuses page numbers above it.
MAX_PAGE = 10**6


# An integer the API accepts (ids, counts, years, amounts): what a database column holds.
DbInt = Annotated[int, Field(ge=0, le=MAX_DB_INT)]


class PageNumberPagination(_NinjaPages):
    """django-ninja's page numbers, bounded (a page beyond ``MAX_PAGE`` is a 422, not an
    offset the database cannot hold)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


class ErrorOut(Schema):
    """What the API answers for 400, 404 and 422."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class BadQuery(BadRequest):
    """A query value that cannot be read: 400 with a Vietnamese message."""


def service_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as ``{field: [messages]}`` (``"__all__"`` for none)."""
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if k in (None, "null", "__all__") else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def add_service_errors(
    form: Any, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form``: on the field it names when the form
    has it (``aliases`` maps a service's field name to the form's), else on the whole form."""
    aliases = aliases or {}
    for name, errors in service_errors(exc).items():
        target = aliases.get(name, name)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def message_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` as error messages (pages without a form)."""
    for m in exc.messages:
        messages.error(request, str(m))


def query_int(
    request: HttpRequest,
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int = MAX_DB_INT,
) -> int | None:
    """An integer query value within ``minimum..maximum`` (the database's range), or 400."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    return parse_int(raw, name, minimum=minimum, maximum=maximum)


def parse_int(raw: Any, name: str = "", *, minimum: int = 0, maximum: int = MAX_DB_INT) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise BadQuery(_("“%(name)s” must be a whole number.") % {"name": name}) from None
    if not minimum <= value <= maximum:
        raise BadQuery(
            _("“%(name)s” must be between %(low)d and %(high)d.")
            % {"name": name, "low": minimum, "high": maximum}
        )
    return value


def parse_date(raw: str, name: str = "") -> datetime.date:
    """A date written yyyy-mm-dd or dd/mm/yyyy, or 400 (31/02 is not a date)."""
    text = raw.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    raise BadQuery(_("“%(value)s” is not a valid date (dd/mm/yyyy).") % {"value": text[:40]})
