"""The Discogs collection CSV upload page: good rows kept, bad rows listed by their line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import CollectionItem, SeedArtist

from .test_discogs_csv import EXPORT

pytestmark = pytest.mark.django_db

BAD_LINE = 'X 1,Broken Row,No Id,Label,"LP, Album",,1999,not-a-number,Uncategorized,2020-01-01 00:00:00,,,'


def upload(client, text, name="collection.csv"):
    return client.post(reverse("accounts:collection_csv"), {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def test_the_upload_page_is_linked_from_onboarding_and_needs_a_signed_in_listener(client, listener):
    assert reverse("accounts:collection_csv") in client.get(reverse("accounts:onboarding")).content.decode()
    client.logout()
    response = client.get(reverse("accounts:collection_csv"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_upload_imports_the_good_rows_and_names_each_bad_line(client, listener):
    response = upload(client, f"{EXPORT}\n{BAD_LINE}")
    assert response.status_code == 302

    html = client.get(response["Location"]).content.decode()
    assert "4 of 4 rows read" in html
    assert "2 vinyl records stored in your collection" in html and "1 other format kept as taste only" in html
    assert "1 line refused" in html
    assert "Line 5: release_id must be a Discogs release number" in html
    assert CollectionItem.objects.filter(user=listener, release__discogs_id=1187391).exists()
    assert SeedArtist.objects.filter(user=listener, source="discogs_csv", artist__name="Radiohead").exists()


def test_a_file_that_is_not_an_export_is_an_error_on_line_one_and_imports_nothing(client, listener):
    html = upload(client, "name,age\nana,3\n").content.decode()
    assert "Line 1: not a Discogs collection export" in html
    assert not CollectionItem.objects.exists()


def test_an_upload_without_a_file_says_so(client, listener):
    response = client.post(reverse("accounts:collection_csv"), {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_the_minimum_play_count_is_on_the_listeners_form(client, listener):
    assert 'name="min_playcount"' in client.get(reverse("accounts:onboarding")).content.decode()
    data = {
        "country": "ES",
        "min_tracks_per_album": 6,
        "min_playcount": 25,
        "blocked": "",
        "seller_region": "anywhere",
    }  # the form posts every field
    client.post(reverse("accounts:profile_update"), data)
    listener.profile.refresh_from_db()
    assert listener.profile.min_playcount == 25
