"""Every user-facing string has its English translation, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _joined(text):
    raw = "".join(re.findall(r'"(.*)"', text))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def entries():
    """(block, msgid, [msgstr...]) for every entry but the header."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if "msgid " not in block:
            continue
        head, _, rest = block.partition("msgstr")
        msgid = _joined(head.split("msgid ", 1)[1].split("msgid_plural", 1)[0])
        if msgid:
            strs = [_joined(part) for part in re.split(r"^msgstr(?:\[\d\])? ", "msgstr" + rest, flags=re.M)[1:]]
            yield block, msgid, strs


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    fuzzy = [msgid for block, msgid, _ in entries() if "#, fuzzy" in block]
    untranslated = [msgid for _, msgid, strs in entries() if not all(strs)]
    assert fuzzy == [] and untranslated == []


def test_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid for block, msgid, strs in entries() if "msgid_plural" not in block and compiled.gettext(msgid) != strs[0]
    ]
    assert stale == [], "run: python manage.py compilemessages -l en"
