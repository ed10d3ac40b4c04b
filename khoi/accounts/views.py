from __future__ import annotations

import math

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoi.accounts import services
from khoi.accounts.backends import UsernameOrEmailBackend
from khoi.accounts.forms import LoginForm, TokenForm, TotpForm
from khoi.accounts.models import ApiToken, User
from khoi.http import add_service_errors

PENDING_KEY = "khoi_2fa_pending_user"
SETUP_KEY = "khoi_2fa_setup_secret"
BACKEND = "khoi.accounts.backends.UsernameOrEmailBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return str(reverse_lazy(settings.LOGIN_REDIRECT_URL))


def _locked_message(remaining_seconds: float) -> str:
    minutes = max(1, math.ceil(remaining_seconds / 60))
    return _(
        "Too many failed sign-in attempts. The account is locked for %(minutes)d more "
        "minute(s); please try again later or ask the administrator."
    ) % {"minutes": minutes}


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ident = form.cleaned_data["username"]
        ip = services.client_ip(request)
        remaining = services.lockout_remaining(ident, ip)
        if remaining is not None:
            form.add_error(None, _locked_message(remaining.total_seconds()))
        else:
            user = UsernameOrEmailBackend().authenticate(
                request, username=ident, password=form.cleaned_data["password"]
            )
            if user is None:
                services.note_login_failure(ident, ip)
                remaining = services.lockout_remaining(ident, ip)
                if remaining is not None:
                    form.add_error(None, _locked_message(remaining.total_seconds()))
                else:
                    form.add_error(None, _("The username/email or password is incorrect."))
            else:
                services.clear_login_failures(ident, user)
                if user.has_2fa:
                    request.session[PENDING_KEY] = user.pk
                    return redirect(
                        f"{reverse_lazy('accounts:2fa_verify')}?next={_next_url(request)}"
                    )
                auth_login(request, user, backend=BACKEND)
                return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def verify_2fa_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_KEY)
    if not user_id:
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=user_id, is_active=True)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        remaining = services.lockout_remaining(user.username)
        if remaining is not None:
            form.add_error(None, _locked_message(remaining.total_seconds()))
        elif services.check_totp(user.totp_secret, form.cleaned_data["code"], user):
            del request.session[PENDING_KEY]
            auth_login(request, user, backend=BACKEND)
            services.note_two_factor_sign_in(user)
            return redirect(_next_url(request))
        else:
            services.note_login_failure(user.username, services.client_ip(request))
            form.add_error("code", _("The code is wrong or has expired. Try the current one."))
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def setup_2fa_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    secret = request.session.get(SETUP_KEY) or services.new_totp_secret()
    request.session[SETUP_KEY] = secret
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_totp(secret, form.cleaned_data["code"]):
            services.do_enable_2fa(user, secret)
            del request.session[SETUP_KEY]
            messages.success(request, _("Two-factor sign-in is now on for your account."))
            return redirect("accounts:profile")
        form.add_error("code", _("The code is wrong or has expired. Try the current one."))
    uri = services.totp_uri(user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/2fa_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr_svg": qr_svg,
            "required": services.needs_2fa_setup(user),
        },
    )


@login_required
@require_POST
def disable_2fa_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.has_2fa:
        services.do_disable_2fa(user, user)
        if services.needs_2fa_setup(user):
            return redirect("accounts:2fa_setup")
        messages.success(request, _("Two-factor sign-in is now off."))
    return redirect("accounts:profile")


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = TokenForm()
    new_key = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, new_key = services.do_create_api_token(user, form.cleaned_data["name"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                form = TokenForm()
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "form": form,
            "new_key": new_key,
            "person": getattr(user, "person", None),
        },
    )


@login_required
@require_POST
def revoke_token_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    assert isinstance(request.user, User)
    services.do_revoke_api_token(request.user, token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    form_class = PasswordChangeForm

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        from khoi.audit import services as audit

        user = self.request.user
        assert isinstance(user, User)
        audit.record(user, "user.password_change", user, {})
        messages.success(self.request, _("Your password was changed."))
        return response
