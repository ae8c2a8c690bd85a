"""Every user-facing string has a Japanese translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_is_translated_into_japanese(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-k", "N_", "-o", str(pot), "lms"],
        cwd=ROOT, check=True, capture_output=True)
    extracted = {m.id if isinstance(m.id, str) else m.id[0]
                 for m in read_po(pot.open("rb")) if m.id}
    with open(ROOT / "lms/translations/ja/LC_MESSAGES/messages.po", "rb") as fh:
        ja = read_po(fh, locale="ja")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in ja
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else m.string[0])
    }
    assert sorted(extracted - translated) == []
