"""Release-detail calls on the pressings that matter (issue 23): the most wanted, the most
collected and those with offers, at most MAX_EXTRA_DETAIL_CALLS per album, never twice."""

import pytest
from django.utils import timezone

from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.services import pressings_worth_details
from catalog.services.pressings import MAX_EXTRA_DETAIL_CALLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def album():
    album = AlbumFactory()
    for n, (want, have) in enumerate([(900, 10), (800, 20), (700, 5000), (5, 30), (1, 1), (0, 0)]):
        ReleaseFactory(album=album, discogs_id=100 + n, want=want, have=have)
    return album


def ids(album, pks):
    return [album.releases.get(pk=pk).discogs_id for pk in pks]


def test_the_two_most_wanted_then_the_most_collected_then_those_with_offers(album):
    offered = album.releases.get(discogs_id=104).pk
    assert ids(album, pressings_worth_details(album, with_offers=[offered])) == [100, 101, 102, 104]


def test_never_more_than_the_cap_and_never_a_pressing_read_before(album):
    album.releases.filter(discogs_id=100).update(details_refreshed_at=timezone.now())
    everything = list(album.releases.values_list("pk", flat=True))
    chosen = pressings_worth_details(album, with_offers=everything)
    assert len(chosen) == MAX_EXTRA_DETAIL_CALLS and 100 not in ids(album, chosen)
    album.releases.update(details_refreshed_at=timezone.now())
    assert pressings_worth_details(album, with_offers=everything) == []


def test_the_representative_pressing_is_left_to_the_chain(album):
    representative = album.releases.get(discogs_id=100).pk
    assert 100 not in ids(album, pressings_worth_details(album, exclude=[representative]))
