"""NUL bytes and control characters are refused before any view, form or query sees them."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import SeedArtist
from catalog.factories import ArtistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize("url_name", ["accounts:onboarding", "accounts:seed_search", "catalog:search"])
@pytest.mark.parametrize("junk", ["\x00", "Radio\x00head", "bell\x07", "esc\x1b[31m"])
def test_a_search_with_control_characters_is_refused_with_a_clear_message(client, listener, url_name, junk):
    response = client.get(reverse(url_name), {"q": junk})
    assert response.status_code == 400
    assert "The field “q” contains a" in response.content.decode()


def test_a_seed_name_with_a_nul_byte_is_refused_and_no_seed_is_added(client, listener):
    response = client.post(reverse("accounts:seed_add"), {"name": "Bad\x00Artist"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "contains a NUL byte" in response.content.decode()
    assert "<html" not in response.content.decode()  # htmx gets the message alone, not a page
    assert not SeedArtist.objects.filter(user=listener).exists()


def test_a_nul_byte_in_a_field_name_is_refused_too(client, listener):
    response = client.post(reverse("accounts:profile_update"), {"country\x00": "ES"})
    assert response.status_code == 400


def test_tabs_and_line_breaks_are_text_and_pass(client, listener):
    ArtistFactory(name="Radiohead")
    response = client.get(reverse("accounts:seed_search"), {"q": "Radio\thead\r\n"})
    assert response.status_code == 200


def test_the_login_form_refuses_a_nul_byte_in_the_username(client):
    response = client.post(reverse("account_login"), {"login": "ana\x00", "password": "x"})
    assert response.status_code == 400
