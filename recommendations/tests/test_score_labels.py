"""The card's score table names each component through gettext, never the raw stored key."""

from django.utils import translation
from django.utils.text import capfirst

from recommendations.scoring import COMPONENT_LABELS, DISCOVERY_COMPONENTS
from recommendations.templatetags.score_labels import component_label


def test_every_component_the_engine_writes_has_a_translatable_label():
    assert set(DISCOVERY_COMPONENTS) <= set(COMPONENT_LABELS)


def test_in_english_the_labels_read_as_the_card_always_showed_them():
    with translation.override("en"):
        assert [str(component_label(name)) for name in DISCOVERY_COMPONENTS] == [capfirst(name) for name in DISCOVERY_COMPONENTS]


def test_a_component_without_a_label_shows_as_stored():
    assert component_label("novelty") == "Novelty"
