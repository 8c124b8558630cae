"""The listener's language: chosen with the switcher, kept on their profile, applied on sign-in
and used for what we send them.

LocaleMiddleware picks each request's language from the language cookie, then the browser's
Accept-Language, then LANGUAGE_CODE. The switcher posts to `set_language` below (Django's view,
which sets the cookie) and a signed-in listener's choice is also saved on their profile. On
sign-in a chosen language is applied and its cookie set, so the choice follows the listener to
another browser; for a listener who never chose, the browser keeps deciding and the language they
signed in with is kept for their emails.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_POST

from .models import Profile

# The request attribute that tells LanguageCookieMiddleware to set the cookie on the response.
_COOKIE_TO_SET = "_profile_language"


def is_supported(code):
    return code in dict(settings.LANGUAGES)


def language_of(user):
    """The language to write to this listener in (emails, digests)."""
    chosen = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen or settings.LANGUAGE_CODE


def override_for(user):
    """`with override_for(user):` renders a mail and its subject in the listener's language."""
    return translation.override(language_of(user))


@require_POST
def set_language(request):
    """Django's set_language (cookie and redirect back), and the choice saved for a signed-in
    listener so their emails and their other browsers follow it."""
    response = i18n.set_language(request)
    code = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if request.user.is_authenticated and is_supported(code):
        Profile.objects.filter(user=request.user).update(language=code, language_chosen=True)
    return response


@receiver(user_logged_in, dispatch_uid="accounts-language-on-sign-in")
def apply_on_sign_in(sender, request, user, **kwargs):
    """A chosen language for this request and, through the cookie, the next ones; without a
    choice, the language of this sign-in is kept for the listener's emails."""
    current = getattr(request, "LANGUAGE_CODE", None)  # None: not a request LocaleMiddleware saw
    if current is None:
        return
    profile = Profile.objects.filter(user=user).only("language", "language_chosen").first()
    if profile is None:
        return
    if not profile.language_chosen:
        if profile.language != current:
            Profile.objects.filter(pk=profile.pk).update(language=current)
        return
    translation.activate(profile.language)
    request.LANGUAGE_CODE = profile.language
    setattr(request, _COOKIE_TO_SET, profile.language)


class LanguageCookieMiddleware:
    """Sets the language cookie when sign-in applied the profile's language (a signal cannot
    touch the response), with the same attributes as Django's set_language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = getattr(request, _COOKIE_TO_SET, None)
        if code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


# The query parameter that names a page's language in its URL: `/albums/12/?lang=es`.
LANGUAGE_PARAMETER = "lang"


class LanguageParameterMiddleware:
    """A page asked for with `?lang=es` or `?lang=en` is in that language, whatever the browser
    or the cookie says, without changing the reader's choice: the URLs a public page's hreflang
    alternates name (catalog/_seo_head.html), so a search engine, which sends no cookie, can
    read and link each language. After LocaleMiddleware, which it overrides for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.GET.get(LANGUAGE_PARAMETER, "")
        if is_supported(code):
            translation.activate(code)
            request.LANGUAGE_CODE = code
            request.language_in_url = code
        return self.get_response(request)
