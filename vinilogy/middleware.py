"""Request-wide guards that every view, form and fragment gets without opting in."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from catalog.text import control_problem

from .secret_urls import carries_secret


def _fields(request):
    """(name, value) of every text input of the request: path, query string and form fields."""
    yield "address", request.path
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key, key
            for value in values:
                yield key, value


def _refused_input(request):
    """The first text input with a NUL or control character, as (field name, why), or None."""
    for name, value in _fields(request):
        problem = control_problem(value)
        if problem:
            return name[:40], problem
    return None


class TextInputGuardMiddleware:
    """Refuse, with a 400 saying which field and why, any request whose text holds NUL bytes or
    control characters.

    One place for every text input: the forms, the views that read a search box directly, the
    admin and allauth's pages all sit behind it, so none of them can hand such text to the
    database (PostgreSQL raises DataError on NUL) or to a provider's API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = _refused_input(request)
        if refused is None:
            return self.get_response(request)
        field, problem = refused
        # %(problem)s says what the text holds (catalog.text): "contains a control character".
        message = _("The field “%(field)s” %(problem)s, which we do not accept. Remove it and try again.") % {
            "field": field,
            "problem": problem,
        }
        template = "input_refused_fragment.html" if request.headers.get("HX-Request") else "input_refused.html"
        return render(request, template, {"message": message, "title": _("Input refused")}, status=400)


def _provider_name(request) -> str:
    """The provider a social-login URL is for ("spotify_login" → "Spotify"), or a general word."""
    from allauth.socialaccount import providers

    url_name = getattr(request.resolver_match, "url_name", "") or ""
    # allauth names Discogs "discogs": the first letter is raised for the message.
    names = {cls.id: cls.name[:1].upper() + cls.name[1:] for cls in providers.registry.get_class_list()}
    return next((name for pid, name in names.items() if url_name.startswith(f"{pid}_")), _("That provider"))


class ProviderNotConfiguredMiddleware:
    """A social login, callback or disconnect for a provider without app keys says so.

    allauth raises SocialApp.DoesNotExist when SPOTIFY_CLIENT_ID or DISCOGS_CONSUMER_KEY is
    unset, which would be a 500; the listener gets a message and their page back instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.socialaccount.models import SocialApp

        if not isinstance(exception, SocialApp.DoesNotExist):
            return None
        messages.error(
            request,
            _("%(provider)s is not configured on this site, so it cannot be used now.") % {"provider": _provider_name(request)},
        )
        return redirect("accounts:onboarding" if request.user.is_authenticated else "account_login")


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on whatever is someone's own: every response to a
    signed-in user, every htmx fragment, every JSON answer (the /api/recs API) and every page
    reached through a secret path segment (the Atom feed a reader fetches anonymously, an
    unsubscribe or deletion link, allauth's email keys: vinilogy.secret_urls), so neither a
    shared proxy nor the browser's history keeps a listener's page for the next person.
    Anonymous full pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_personal(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _is_personal(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        bool(user and user.is_authenticated)
        or bool(request.headers.get("HX-Request"))
        or response.get("Content-Type", "").startswith("application/json")
        or carries_secret(request)
    )
