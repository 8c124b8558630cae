"""allauth's account adapter: where a sign-in lands.

Operators (staff) run the site from the Django admin, so that is where they land; listeners
land on their recommendations (LOGIN_REDIRECT_URL). An explicit ?next= still wins.
"""
from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)
