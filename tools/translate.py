"""Fill locale/nl/LC_MESSAGES/django.po from tools/translations_nl*.py and report what is missing.

Run after `stedennet makemessages -l nl -l en`; then `stedennet compilemessages`.
Exit status 1 when a message has no Dutch translation, so a new string cannot slip through untranslated.
"""

import importlib
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PO = ROOT / "src/stedennet/locale/nl/LC_MESSAGES/django.po"


def tables():
    single, plural = {}, {}
    for path in sorted((ROOT / "tools").glob("translations_nl*.py")):
        module = importlib.import_module(f"tools.{path.stem}")
        single.update(module.NL)
        plural.update(getattr(module, "NL_PLURAL", {}))
    return single, plural


def main():
    sys.path.insert(0, str(ROOT))
    single, plural = tables()
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid_plural:
            if entry.msgid not in plural:
                missing.append(entry.msgid)
                continue
            one, many = plural[entry.msgid]
            entry.msgstr_plural = {0: one, 1: many}
        elif entry.msgctxt and f"{entry.msgctxt}|{entry.msgid}" in single:
            entry.msgstr = single[f"{entry.msgctxt}|{entry.msgid}"]  # a word that means something else here
        elif entry.msgid in single:
            entry.msgstr = single[entry.msgid]
        else:
            missing.append(entry.msgid)
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    for msgid in missing:
        print(f"missing Dutch translation: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
