"""Ids in our URLs are numbers a database column can hold; longer ones are no URL of ours."""

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/albums/{}/", "/artists/{}/", "/onboarding/seeds/{}/remove/", "/wantlist/{}/remove/"])
@pytest.mark.parametrize("number", [2**63, 2**70, 10**40])
def test_an_id_beyond_bigint_is_a_404_not_a_database_error(admin_client, url, number):
    method = admin_client.post if "remove" in url else admin_client.get
    assert method(url.format(number)).status_code == 404


def test_the_largest_bigint_is_still_an_id_and_one_more_is_not():
    assert resolve(f"/albums/{2**63 - 1}/").kwargs == {"album_id": 2**63 - 1}
    with pytest.raises(Resolver404):
        resolve(f"/albums/{2**63}/")
