"""The interface is Chinese by default: every message has a translation, and the compiled catalogue is current."""

from pathlib import Path

import polib

import junheng

CATALOGUE = Path(junheng.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django"


def test_every_message_is_translated() -> None:
    untranslated = [e.msgid for e in polib.pofile(f"{CATALOGUE}.po") if not e.translated()]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source() -> None:
    source = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in polib.pofile(f"{CATALOGUE}.po")}
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in polib.mofile(f"{CATALOGUE}.mo")}
    assert source - compiled == set()
