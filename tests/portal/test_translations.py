"""Every message has a real Kazakh and Russian translation, and the catalogue speaks all three languages."""

import json
from pathlib import Path

import polib
import pytest

from services.catalogue.loading import DEFAULT_CATALOGUE

LOCALE = Path(__file__).resolve().parents[2] / "portal" / "locale"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_message_is_empty_fuzzy_or_left_in_english(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    problems = []
    for entry in catalogue:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.fuzzy or not all(translations):
            problems.append(("missing or fuzzy", entry.msgid))
        elif entry.msgstr == entry.msgid or (entry.msgid_plural and entry.msgid in translations):
            problems.append(("untranslated", entry.msgid))
    assert problems == []


def test_kazakh_and_russian_messages_differ():
    kk = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "kk" / "LC_MESSAGES" / "django.po"))}
    ru = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / "django.po"))}
    assert [msgid for msgid, text in kk.items() if text and text == ru.get(msgid)] == []


def _texts(node, path=""):
    if isinstance(node, dict):
        if set(node) == {"kk", "ru", "en"}:
            yield path, node
        for key, value in node.items():
            yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}/{index}")


def test_every_catalogue_text_is_in_three_languages_and_kazakh_differs_from_russian():
    data = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    texts = list(_texts(data))
    assert len(texts) > 300
    assert [path for path, text in texts if not all(v.strip() for v in text.values())] == []
    assert [path for path, text in texts if text["kk"] == text["ru"]] == []
