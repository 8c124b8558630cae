"""Choosing the language: the browser's Accept-Language first (English for a browser asking for
neither), the switcher in the header and footer of every page (a form posting to set_language,
CSRF-protected like every form), and a signed-in listener's choice kept on their profile and
applied when they sign in, in any browser."""

import re
from itertools import count

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.language import language_of
from accounts.models import Profile
from alerts import delivery
from alerts.factories import NotificationFactory
from alerts.models import AlertSettings, Notification

pytestmark = pytest.mark.django_db

PASSWORD = "vinyl-lover-123"  # accounts.factories.UserFactory's
_ips = count(1)


def _html_lang(response):
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def _sign_in(client, user, accept_language):
    # An address of its own: the login throttle counts per address in the shared cache.
    address = f"10.77.{next(_ips)}.9"
    response = client.post(
        reverse("account_login"),
        {"login": user.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=accept_language,
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302
    return response


@pytest.mark.parametrize(
    "accept_language, expected",
    [("es-ES,es;q=0.9,en;q=0.8", "es"), ("es", "es"), ("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9", "en"), (None, "en")],
)
def test_the_browsers_accept_language_picks_spanish_or_english_and_english_is_the_fallback(client, accept_language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get(reverse("home"), **headers)
    assert response["Content-Language"] == expected
    assert _html_lang(response) == expected


def test_every_page_offers_both_languages_in_the_header_and_the_footer(client):
    page = client.get(reverse("catalog:search"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    forms = re.findall(r'<form method="post" action="%s".*?</form>' % reverse("set_language"), page, re.S)
    assert len(forms) == 2  # header and footer
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form
        assert 'name="language" value="es"' in form and 'name="language" value="en"' in form
        assert f'name="next" value="{reverse("catalog:search")}"' in form
        assert re.search(r'value="es"[^>]*aria-pressed="true"', form)  # the language in use is marked


def test_the_switcher_changes_the_language_and_comes_back_to_the_page(client):
    response = client.post(
        reverse("set_language"), {"language": "es", "next": reverse("catalog:search")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302 and response["Location"] == reverse("catalog:search")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The cookie now wins over the browser's English.
    assert _html_lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")) == "es"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert _html_lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")) == "en"


def test_the_switcher_refuses_a_post_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_ignores_a_language_we_do_not_serve(listener, client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert Profile.objects.get(user=listener).language == ""
    assert _html_lang(client.get(reverse("home"))) == "en"


def test_a_signed_in_listeners_choice_is_saved_on_their_profile(listener, client):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    profile = Profile.objects.get(user=listener)
    assert profile.language == "es" and profile.language_chosen
    assert language_of(listener) == "es"


def test_the_choice_sticks_when_the_listener_signs_in_from_another_browser(client):
    user = UserFactory()
    Profile.objects.filter(user=user).update(language="es", language_chosen=True)
    response = _sign_in(client, user, accept_language="en-GB,en;q=0.9")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert _html_lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_without_a_choice_the_browser_decides_and_emails_follow_the_last_sign_in(client):
    user = UserFactory()
    response = _sign_in(client, user, accept_language="es-ES,es;q=0.9")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # nothing to override
    assert language_of(user) == "es"
    client.logout()
    _sign_in(client, user, accept_language="en-GB,en;q=0.9")
    assert _html_lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert language_of(user) == "en"


def test_a_listener_without_a_language_is_written_to_in_the_default_one():
    assert language_of(UserFactory()) == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    "language, greeting, inbox_line", [("es", "Hola, ", "Tus alertas en la web"), ("en", "Hello ", "Your alerts on the site")]
)
def test_an_alert_email_is_written_in_the_listeners_language(mailoutbox, language, greeting, inbox_line):
    user = UserFactory()
    Profile.objects.filter(user=user).update(language=language)
    AlertSettings.objects.create(user=user, email=AlertSettings.Email.INSTANT)
    note = NotificationFactory(user=user, delivery=Notification.Delivery.QUEUED)
    assert delivery.deliver(note.pk)
    assert greeting in mailoutbox[0].body and inbox_line in mailoutbox[0].body
