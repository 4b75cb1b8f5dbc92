"""Every interface text has its Dutch translation, and the compiled catalogue is current."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src/stedennet/locale"


def test_every_message_has_a_dutch_translation():
    po = polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], "run tools/i18n.sh and add the Dutch text to tools/translations_nl.py"


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / "nl/LC_MESSAGES/django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo if e.msgid}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in po.translated_entries()
    }
    assert compiled == source, "run tools/i18n.sh: django.mo is older than django.po"
