"""Fill missing Japanese translations in lms/translations/ja from a mapping file (one-off helper).

Usage: python tools/fill_ja.py MAPPING.py  — MAPPING defines JA = {msgid: msgstr}.
Existing translations are kept; the catalog is rewritten sorted.
"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po

PO = "lms/translations/ja/LC_MESSAGES/messages.po"

mapping = runpy.run_path(sys.argv[1])["JA"]
with open(PO, "rb") as fh:
    catalog = read_po(fh, locale="ja")
missing = []
for message in catalog:
    if not message.id:
        continue
    key = message.id if isinstance(message.id, str) else message.id[0]
    current = message.string if isinstance(message.string, str) else message.string[0]
    if current:
        continue
    if key in mapping:
        message.string = mapping[key] if isinstance(message.id, str) else (mapping[key],)
        message.flags.discard("fuzzy")
    else:
        missing.append(key)
with open(PO, "wb") as fh:
    write_po(fh, catalog, width=100, sort_output=True, omit_header=False)
print(f"missing {len(missing)}")
for key in missing:
    print(repr(key))
