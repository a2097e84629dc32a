"""The English catalogue is complete and compiled (the .mo is committed, not built)."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def po_entries():
    text = PO.read_text()
    blocks = [
        b for b in text.split("\n\n") if "msgid" in b and not b.startswith('msgid ""\nmsgstr ""\n"')
    ]
    entries = {}
    for block in blocks:
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        msgid = "".join(
            re.findall(
                r'^(?:msgid |)"(.*)"$', block.split("msgid_plural")[0].split("msgstr")[0], re.M
            )
        )
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        value = "".join(a + "".join(re.findall(r'"(.*)"', b)) for a, b in strs)
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        entries[msgid] = (value, fuzzy)
    return entries


def test_every_string_is_translated():
    entries = po_entries()
    assert len(entries) > 300
    untranslated = [m for m, (value, fuzzy) in entries.items() if m and (not value or fuzzy)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with open(PO.with_suffix(".mo"), "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    singular = {k for k in catalogue._catalog if isinstance(k, str) and k}
    plural_ids = {k[0] for k in catalogue._catalog if isinstance(k, tuple)}
    compiled = singular | plural_ids
    missing = sorted(
        m for m in po_entries() if m and m.replace("\\n", "\n").replace('\\"', '"') not in compiled
    )
    assert missing == [], "run make messages (compilemessages) and commit the .mo"


def test_change_history_screens_are_vietnamese(client, make_user, db):
    from django.urls import reverse

    from tests.factories import make_decision

    decision = make_decision()
    decision.title = "Sửa trích yếu"
    decision.save()
    client.force_login(make_user("history-reader", superuser=True))
    html = client.get(reverse("admin:awards_decision_history", args=[decision.pk])).content.decode()
    assert "Người thay đổi" in html and "Thời điểm" in html
    assert "Changed by" not in html
