"""Every physical line accounted for: a quote that swallows lines cannot hide them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pouls.feedback.importers.pipeline import Summary, do_import_feedback
from pouls.feedback.importers.readers import FileRejected, read_csv
from pouls.feedback.models import Feedback, Import, QuarantinedRow
from pouls.testing import Personas

SWALLOWED = (
    "Magasin;Date;NPS;Commentaire\n"
    "Site Lille;21/11/2025;10;Parfait\n"
    'Site Lille;22/11/2025;9;"Super accueil, merci\n'
    "Site Lille;23/11/2025;2;Attente interminable\n"
    "Site Lille;24/11/2025;1;Personne en caisse\n"
    "Site Lille;25/11/2025;3;Bof\n"
    "Site Lille;26/11/2025;8;Bien\n"
)
LEGIT = (
    "Magasin;Date;NPS;Commentaire\n"
    'Site Lille;22/11/2025;9;"Super accueil.\nJe reviendrai ; promis."\n'
    "Site Lille;23/11/2025;2;Attente\n"
    "\n"
)


def _identity(summary: Summary) -> None:
    assert summary.read == summary.accepted + summary.quarantined + summary.duplicates
    assert summary.lines == (
        summary.lines_accepted
        + summary.lines_quarantined
        + summary.lines_duplicates
        + summary.blank_lines
    )


def test_the_swallowed_quote_file_accounts_for_all_six_lines(
    personas: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "swallowed.csv"
    path.write_text(SWALLOWED, encoding="utf-8")
    summary = do_import_feedback(path, root=personas.nord)
    _identity(summary)
    assert summary.lines == 6 and (summary.lines_accepted, summary.lines_quarantined) == (1, 5)
    assert (summary.read, summary.accepted, summary.quarantined) == (6, 1, 5)
    rows = {q.row_number: q for q in QuarantinedRow.objects.all()}
    assert sorted(rows) == [3, 4, 5, 6, 7]  # the file's own line numbers
    assert "guillemet ouvert" in rows[3].reasons[0]["message"]
    assert "lignes 4 à 7" in rows[3].reasons[0]["message"]
    assert "emportée avec la ligne 3" in rows[5].reasons[0]["message"]
    assert "Personne en caisse" in rows[5].raw["_ligne"]
    batch = Import.objects.get(code=summary.code)
    assert (batch.lines, batch.blank_lines) == (6, 0)
    assert not Feedback.objects.filter(nps__in=[2, 1, 3, 8]).exists()


def test_a_quoted_line_break_in_a_comment_is_one_record_of_two_lines(
    personas: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "legit.csv"
    path.write_text(LEGIT, encoding="utf-8")
    summary = do_import_feedback(path, root=personas.nord)
    _identity(summary)
    assert (summary.read, summary.accepted, summary.lines, summary.blank_lines) == (2, 2, 4, 1)
    assert summary.lines_accepted == 3
    assert "Je reviendrai" in Feedback.objects.get(nps=9).text


def test_the_reader_counts_lines_as_it_goes(tmp_path: Path) -> None:
    path = tmp_path / "legit.csv"
    path.write_text(LEGIT, encoding="utf-8")
    table = read_csv(path)
    rows = list(table.rows)
    assert [(r.number, r.lines) for r in rows] == [(2, 2), (4, 1)]
    assert (table.count.lines, table.count.blank) == (4, 1)


CELLS = {
    "Magasin": st.sampled_from(["Site Lille", "Site Roubaix"]),
    "Date": st.sampled_from(["22/11/2025", "2025-11-23T10:00:00", "3 mars 2025 à 10h30"]),
    "NPS": st.sampled_from(["0", "6", "9", "10"]),
    "Commentaire": st.sampled_from(["Bien", "Trop d'attente", "Très bon conseil", ""]),
}
MUTATIONS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.sampled_from(['"', ";", ",", "\n", "\r\n", "\r", "\x00", "\x0c", "\x1b", '";"', '"\n']),
    ),
    max_size=6,
)


def _physical_lines(text: str) -> int:
    # As the reader splits them: universal newlines, untranslated (newline="").
    return len(list(io.StringIO(text, newline="")))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=12), mutations=MUTATIONS)
@pytest.mark.django_db
def test_mutated_csvs_account_for_every_physical_line(
    personas: Personas,
    tmp_path: Path,
    rows: list[dict[str, str]],
    mutations: list[tuple[float, str]],
) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CELLS), delimiter=";", lineterminator="\n")
    writer.writerows(rows)
    body = buffer.getvalue()
    for where, what in mutations:
        at = int(where * len(body))
        body = body[:at] + what + body[at:]
    header = ";".join(CELLS) + "\n"
    path = tmp_path / "mutated.csv"
    path.write_text(header + body, encoding="utf-8", newline="")
    try:
        summary = do_import_feedback(path, root=personas.nord)
    except FileRejected as rejected:  # a clear message, allowed for a file of control bytes
        assert "binaire" in str(rejected)
        return
    _identity(summary)
    assert summary.lines == _physical_lines(body)
    batch = Import.objects.get(code=summary.code)
    assert batch.lines == summary.lines
    client = Client()
    client.force_login(personas.carol)
    page = client.get(reverse("feedback-import-detail", args=[batch.code]))
    assert page.status_code == 200
    for fmt in ("csv", "xlsx"):
        name = "feedback-quarantine-export" + ("-xlsx" if fmt == "xlsx" else "")
        assert client.get(reverse(name, args=[batch.code])).status_code == 200
