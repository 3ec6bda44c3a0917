"""Every user-facing string has its English translation, and the compiled catalogue is current."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("msgstr", 1)[0])) if (
            "msgid " in block) else ""
        if msgid:
            yield block, msgid


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    untranslated, fuzzy = [], []
    for block, msgid in entries():
        if "#, fuzzy" in block:
            fuzzy.append(msgid)
        for part in re.split(r"^msgstr(?:\[\d\])? ", block, flags=re.M)[1:]:
            if not "".join(re.findall(r'"(.*)"', part)):
                untranslated.append(msgid)
    assert fuzzy == [] and untranslated == []


def test_compiled_catalogue_is_newer_than_the_source():
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1
