"""A set's sentences read in the reader's language, whichever language they were written in."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from recommendations import services
from recommendations.scoring import AlbumFacts, PriceFact, explain, facts_from_data, facts_to_data, reason

from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.RECOMMENDATION_SET_SIZE = 6
    return build_world()


def _sentences(rec_set, language):
    with translation.override(language):
        items = services.items_for_grid(rec_set, "ES", prices=False)
    return [(item.reason, item.explanation) for item in items]


def test_a_set_written_in_english_reads_in_spanish_and_back(world, generate):
    with translation.override("en"):
        rec_set = generate(world.user)
    assert rec_set.language == "en"
    english = _sentences(rec_set, "en")
    spanish = _sentences(rec_set, "es")
    stored = [(item.reason, item.explanation) for item in rec_set.items.order_by("position")]
    assert english == stored  # the language it was written in: the stored sentences, as they are
    assert all(es != en for es, en in zip(spanish, english, strict=True))
    for item in rec_set.items.all():
        with translation.override("es"):
            facts = facts_from_data(item.facts)
            assert (reason(facts), explain(facts)) in spanish


def test_a_set_written_for_a_spanish_listener_is_stored_in_spanish(world, generate):
    world.user.profile.language = "es"
    world.user.profile.save(update_fields=["language"])
    rec_set = generate(world.user)
    assert rec_set.language == "es"
    assert _sentences(rec_set, "es") == [(i.reason, i.explanation) for i in rec_set.items.order_by("position")]


def test_an_item_stored_before_its_facts_were_kept_keeps_its_sentences(world, generate):
    with translation.override("en"):
        rec_set = generate(world.user)
    rec_set.items.update(facts={})
    assert _sentences(rec_set, "es") == _sentences(rec_set, "en")


names = st.text(min_size=1, max_size=12)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


@hypothesis_settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(
    sources=st.frozensets(st.sampled_from(["lastfm", "spotify", "discogs", "manual"])),
    similar=st.lists(names, max_size=3),
    genres=st.frozensets(names, max_size=3),
    total=st.one_of(st.none(), money),
    sample=st.booleans(),
    plays=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
)
def test_facts_survive_their_stored_form(sources, similar, genres, total, sample, plays):
    price = PriceFact(total_eur=total, store="Discogs", release_year=1973, shipping_kind="estimated", sample=sample)
    facts = AlbumFacts(
        album_id=1,
        artist_id=2,
        artist_name="Pink Floyd",
        title="The Dark Side Of The Moon",
        country="ES",
        artist_sources=sources,
        similar_to=tuple(similar),
        genres=genres,
        price=price,
        artist_playcount=plays,
        shared_genres=tuple(sorted(genres)),
    )
    assert facts_from_data(facts_to_data(facts)) == facts
