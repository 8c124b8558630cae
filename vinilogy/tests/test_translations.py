"""The Spanish catalogue stays complete: no message untranslated or fuzzy, and makemessages run
over the project (in a temporary copy) finds no message the catalogue lacks. Its compiled form is
made in Python (vinilogy.i18n_catalogues) and carries only finished translations."""

import gettext
import shutil

import pytest
from babel.messages import pofile
from django.conf import settings
from django.core.management import call_command

from vinilogy.i18n_catalogues import compile_po, is_translated

CATALOGUE = "locale/es/LC_MESSAGES/django.po"


def test_compiling_keeps_only_finished_translations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Wantlist"\nmsgstr "Lista de deseos"\n\n'
        'msgid "%(n)s album"\nmsgid_plural "%(n)s albums"\nmsgstr[0] "%(n)s álbum"\nmsgstr[1] "%(n)s álbumes"\n\n'
        'msgctxt "button"\nmsgid "Watch"\nmsgstr "Vigilar"\n\n'
        '#, fuzzy\nmsgid "Basket"\nmsgstr "Basket fuzzy guess"\n\n'
        'msgid "%(n)s offer"\nmsgid_plural "%(n)s offers"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        'msgid "Sign out"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert compile_po(po) is True
    assert compile_po(po) is False  # up to date: nothing written
    with open(po.with_suffix(".mo"), "rb") as mo:
        spanish = gettext.GNUTranslations(mo)
    assert spanish.gettext("Wantlist") == "Lista de deseos"
    assert spanish.ngettext("%(n)s album", "%(n)s albums", 3) == "%(n)s álbumes"
    assert spanish.pgettext("button", "Watch") == "Vigilar"
    # Fuzzy, untranslated and empty plurals fall back to the English source, never to "".
    assert spanish.gettext("Basket") == "Basket"
    assert spanish.ngettext("%(n)s offer", "%(n)s offers", 2) == "%(n)s offers"
    assert spanish.gettext("Sign out") == "Sign out"


def _read(path):
    with open(path, "rb") as source:
        return pofile.read_po(source, abort_invalid=True)


def _key(message):
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return (message.context, msgid)


def _label(message):
    return f"{message.context + ' | ' if message.context else ''}{_key(message)[1]!r}"


def _spanish():
    return _read(settings.BASE_DIR / CATALOGUE)


def test_the_spanish_catalogue_has_no_untranslated_or_fuzzy_message():
    catalogue = _spanish()
    messages = [message for message in catalogue if message.id]
    assert len(messages) > 100  # the catalogue is there and holds the site's messages
    assert not catalogue.fuzzy, "the header is marked fuzzy"
    untranslated = [_label(message) for message in messages if not is_translated(message)]
    fuzzy = [_label(message) for message in messages if message.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {CATALOGUE}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {CATALOGUE}: check each translation, then remove the flag"


def test_every_spanish_message_keeps_the_placeholders_of_its_english_source():
    catalogue = _spanish()
    problems = [f"{_label(message)}: {errors}" for message, errors in catalogue.check()]
    assert problems == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="makemessages needs GNU gettext's xgettext: bin/test and .ci/run install it (apt-get install gettext)",
)
def test_makemessages_finds_no_message_the_spanish_catalogue_lacks(tmp_path, settings, monkeypatch):
    """Run in a copy of the project, since makemessages writes into the locale folder it runs from."""
    copy = tmp_path / "project"
    build_outputs = ("__pycache__", "node_modules", "artifacts", "media", "staticfiles", "var", "db.sqlite3*", "*.mo")
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(".*", *build_outputs))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["es"], verbosity=0)
    known = {_key(message) for message in _spanish() if message.id}
    missing = sorted(_label(message) for message in _read(copy / CATALOGUE) if message.id and _key(message) not in known)
    assert missing == [], f"run `manage.py makemessages -l es` and translate: {missing}"
