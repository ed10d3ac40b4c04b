"""The JSON API under /api/v1/ (django-ninja). Same access rules as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from khoi.accounts.models import ApiToken


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
        if row.last_used_at is None or (timezone.now() - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
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
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        field = ".".join(loc) or "__all__"
        errors.setdefault(field, []).append(_vi_message(err))
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ.", "errors": errors}, status=422
    )


def _vi_message(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "Trường này là bắt buộc."
    if kind.startswith("int"):
        return "Phải là số nguyên."
    if kind.startswith("string"):
        return "Phải là chuỗi ký tự hợp lệ."
    if kind.startswith("bool"):
        return "Phải là true hoặc false."
    if kind.startswith("date"):
        return "Ngày không hợp lệ (YYYY-MM-DD)."
    return "Giá trị không hợp lệ."


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Chưa đăng nhập hoặc token không hợp lệ."}, status=401
    )


api.add_router("/", "khoi.org.api.router")
api.add_router("/", "khoi.work.api.router")
api.add_router("/", "khoi.meetings.api.router")
api.add_router("/", "khoi.documents.api.router")
api.add_router("/", "khoi.petitions.api.router")
api.add_router("/campaigns/", "khoi.campaigns.api.router")
