"""The `.po` catalogue is the source of the Dutch text: every interface text has its Dutch
translation, the compiled catalogue is current, and `makemessages` leaves the catalogue as it is
(so a message added in the code but not in the catalogue fails here, and a translator's edit in
Poedit or Weblate is never overwritten by a tool)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src/stedennet"
LOCALE = PACKAGE / "locale"
CATALOGUE = LOCALE / "nl/LC_MESSAGES/django.po"


def _entries(po: polib.POFile) -> dict:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po
        if not e.obsolete
    }


def test_every_message_has_a_dutch_translation():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], "add the Dutch text to src/stedennet/locale/nl/LC_MESSAGES/django.po"


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(LOCALE / "nl/LC_MESSAGES/django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo if e.msgid}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in po.translated_entries()
    }
    assert compiled == source, "run tools/i18n.sh: django.mo is older than django.po"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (apt-get install gettext)")
def test_makemessages_leaves_the_catalogue_unchanged(tmp_path):
    """Extract the messages of a copy of the code into a copy of the catalogue, as tools/i18n.sh does:
    nothing may be added (a text without Dutch), removed (a stale entry) or changed."""
    copy = tmp_path / "stedennet"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "data"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", "--no-location",
         "--ignore", "tests/*", "--ignore", "*/tests/*"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "stedennet.conf.test", "PYTHONPATH": str(tmp_path),
             "STEDENNET_SECRET_KEY": "makemessages", "STEDENNET_DATA_DIR": str(tmp_path / "var")},
    )
    extracted = polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))
    committed = polib.pofile(str(CATALOGUE))
    added = sorted(set(_entries(extracted)) - set(_entries(committed)), key=str)
    removed = sorted(set(_entries(committed)) - set(_entries(extracted)), key=str)
    assert (added, removed) == ([], []), "run tools/i18n.sh and translate the new texts in django.po"
    assert _entries(extracted) == _entries(committed)
