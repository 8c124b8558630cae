"""A catalog chain task delivered again after its worker died: it neither repeats work nor
ends the chain early. The pressings claim (Album.releases_sync_started_at) is a lease."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from catalog import services, tasks
from catalog.models import Album, Release
from integrations.models import ApiCall
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

NEIL_YOUNG_LP = 2535152  # master 38677: both pages of its versions are recorded


@pytest.fixture
def neil_young():
    with replaying():
        album = services.get_or_create_release(NEIL_YOUNG_LP).album
    Album.objects.filter(pk=album.pk).update(releases_refreshed_at=None)
    return album


def _claimed(album, ago):
    Album.objects.filter(pk=album.pk).update(releases_sync_started_at=timezone.now() - ago)


def test_a_redelivery_while_a_dead_workers_claim_is_live_waits_for_it_instead_of_ending(neil_young):
    _claimed(neil_young, timedelta(minutes=1))

    with replaying(), pytest.raises(Retry) as retry:
        tasks.sync_album_releases.delay(neil_young.pk, follow=False)

    assert 13 * 60 < retry.value.when <= 14 * 60 + 1  # the claim's 15 minutes, less the one gone
    assert not Release.objects.filter(album=neil_young).exclude(discogs_id=NEIL_YOUNG_LP).exists()


def test_once_the_claim_has_run_out_the_redelivery_syncs_every_pressing_once(neil_young):
    _claimed(neil_young, services.RELEASES_CLAIM_LEASE + timedelta(seconds=1))

    with replaying():
        assert tasks.sync_album_releases.delay(neil_young.pk, follow=False).get() == 76
        calls = ApiCall.objects.count()
        assert tasks.sync_album_releases.delay(neil_young.pk, follow=False).get() == 76  # delivered again

    assert ApiCall.objects.count() == calls  # fresh now: the second delivery asks nothing
    assert Album.objects.get(pk=neil_young.pk).releases_sync_started_at is None
