"""allauth's account adapter: where a sign-in lands, and which account a failed login counts for.

Operators (staff) run the site from the Django admin, so that is where they land; listeners
land on their recommendations (LOGIN_REDIRECT_URL). An explicit ?next= still wins.

The per-account half of the login throttle (ACCOUNT_RATE_LIMITS "login_failed", "5/5m/key")
is keyed on the account, not on what was typed: a listener's username and email (any case)
count together, so five failures in all, not five per spelling. A login that names no account
is keyed on itself, lower-cased.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse


def _account_key(login):
    """'user:<pk>' of the account a typed login names, else 'login:<login lower-cased>'."""
    login = login.strip().lower()
    pks = [user.pk for user in filter_users_by_username(login)]
    if "@" in login:
        pks += [user.pk for user in filter_users_by_email(login)]
    return f"user:{min(pks)}" if pks else f"login:{login}"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys on the typed login (credentials carry "email" and/or "username"); it
        # also calls this to clear the count after a password reset, so both agree.
        login = credentials.get("email") or credentials.get("username") or ""
        return f"{get_current_site(request).domain}:{_account_key(login)}"
