"""A generator of messy exports in Qualtrics' layout, with the truth about every row.

Three header rows (column ids, question texts, ImportId JSON), a BOM, dates re-saved by a
French spreadsheet in several forms (days above 12 included), store names in capitals or
without accents, out-of-range and non-numeric scores, broken rows, duplicated responses,
personal data in the free text, and the contact of customers who accept a callback.

Deterministic for a seed (``random.Random``), so a failing case can be replayed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zoneinfo
from dataclasses import dataclass, field

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct."]
MONTHS += ["nov.", "déc."]

META = [
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
]
QUESTIONS = [
    ("Q1_NPS", "Quelle est la probabilité que vous recommandiez Enseigne à un proche ?", "QID1"),
    ("Q2_Pourquoi", "Pourquoi ?", "QID2_TEXT"),
    ("Q3_Magasin", "Dans quel magasin êtes-vous allé ?", "QID3"),
    ("Q4_Rappel", "Acceptez-vous d'être recontacté(e) au sujet de votre avis ?", "QID4"),
    ("Q5_Contact", "Votre e-mail ou votre numéro de téléphone", "QID5_TEXT"),
]
COLUMNS = [c[0] for c in META + QUESTIONS]

#: Stores the test organisation has, and how the export spells them.
STORES = {
    "Site Lille": ["Site Lille", "SITE LILLE", "site lille"],
    "Site Roubaix": ["Site Roubaix", "SITE ROUBAIX"],
    "Magasin Évry": ["Magasin Évry", "MAGASIN EVRY", "Magasin Evry", "magasin évry"],
    "Magasin Orléans": ["Magasin Orléans", "MAGASIN ORLEANS", "Magasin Orleans"],
}
TEXTS = [
    "Très bon accueil, vendeuse souriante.",
    "Trop d'attente en caisse, personne pour renseigner.",
    "Produit introuvable, rayon mal rangé.",
    "Conseils au top, je reviendrai.",
    "",
]


@dataclass(slots=True)
class Truth:
    """What must become of one data row of the file."""

    response_id: str
    outcome: str  # "accepted", "quarantined" or "duplicate"
    day: dt.date | None = None  # the true calendar day (Europe/Paris) of an accepted row
    store: str = ""
    planted: list[str] = field(default_factory=list)  # personal data put in its text
    contact: str = ""


@dataclass(slots=True)
class Export:
    content: bytes
    truths: list[Truth]

    @property
    def planted(self) -> list[str]:
        return [p for t in self.truths for p in t.planted]


def _luhn(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def _date_text(moment: dt.datetime, rng: random.Random) -> str:
    form = rng.randrange(6)
    if form == 0:
        return f"{moment:%d/%m/%Y %H:%M}"
    if form == 1:
        return f"{moment:%d/%m/%Y}"
    if form == 2:
        return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    if form == 3:
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    if form == 4:
        return f"{moment:%d/%m/%Y} {moment.hour}h{moment.minute:02d}"
    serial = (moment.replace(tzinfo=None) - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    return f"{serial:.6f}"


def _personal(rng: random.Random, n: int) -> tuple[str, list[str]]:
    kind = rng.randrange(5)
    if kind == 0:
        email = f"client.{n}@exemple.fr"
        return f"Répondez-moi à {email} svp.", [email]
    if kind == 1:
        phone = f"06 {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} 78"
        return f"Rappelez-moi au {phone}.", [phone]
    if kind == 2:
        iban = "FR76 3000 6000 0112 3456 7890 189"
        return f"Remboursez sur mon IBAN {iban} merci.", [iban]
    if kind == 3:
        card = _luhn("4970", 16, rng)
        spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
        return f"Débité deux fois sur ma carte {spaced} !", [spaced]
    return "", []


def _valid(rng: random.Random, n: int) -> tuple[list[str], Truth]:
    moment = dt.datetime(2025, 1, 1, 8, tzinfo=PARIS) + dt.timedelta(
        days=rng.randrange(690), minutes=rng.randrange(600)
    )
    store = rng.choice(list(STORES))
    text = rng.choice(TEXTS)
    pii, planted = _personal(rng, n)
    consent = rng.random() < 0.3
    contact = (
        (f"rappel.{n}@exemple.fr" if n % 2 else f"07 11 22 {n % 90 + 10} 44") if consent else ""
    )
    cells = _meta(rng, moment, f"R_{n:05d}") + [
        str(rng.randrange(11)),
        " ".join(p for p in (text, pii) if p) or "Rien à signaler",
        rng.choice(STORES[store]),
        "Oui" if consent else rng.choice(["Non", ""]),
        contact,
    ]
    truth = Truth(f"R_{n:05d}", "accepted", moment.date(), store, planted, contact)
    return cells, truth


def _meta(rng: random.Random, moment: dt.datetime, response_id: str) -> list[str]:
    recorded = _date_text(moment, rng)
    return [
        *(recorded, recorded, "IP Address", "192.0.2.10", "100", str(rng.randrange(30, 900))),
        *("True", recorded, response_id, "48.85", "2.35", "anonymous", "FR"),
    ]


def _invalid(rng: random.Random, n: int) -> tuple[list[str], Truth]:
    cells, truth = _valid(rng, n)
    truth.outcome, truth.day, truth.contact = "quarantined", None, ""
    nps = len(META)
    kind = rng.randrange(7)
    if kind == 0:
        cells[nps] = rng.choice(["11", "-1", "12", "100"])
    elif kind == 1:
        cells[nps] = rng.choice(["neuf", "N/A", "8,5", "top"])
    elif kind == 2:
        cells[nps + 2] = rng.choice(["Magasin Atlantis", "Site Lile Centre", "ZZZ"])
    elif kind == 3:
        bad = rng.choice(["31/02/2025", "2099-01-01 10:00:00", "hier", "32/13/2025"])
        cells[7] = bad
    elif kind == 4:
        cells += ["cellule en trop", "encore une"]  # a broken row: more cells than the header
    elif kind == 5:
        cells = cells[: nps + 1]  # a truncated row: no store
    else:
        cells[nps], cells[nps + 1] = "", ""  # neither score nor text
    return cells, truth


def generate(seed: int = 0, rows: int = 300) -> Export:
    """An export of about ``rows`` data rows: 70 % valid, 20 % invalid, 10 % repeats."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([c[1] for c in META + QUESTIONS])
    writer.writerow([f'{{"ImportId":"{c[2]}"}}' for c in META + QUESTIONS])
    truths: list[Truth] = []
    written: list[tuple[list[str], Truth]] = []
    for n in range(1, rows + 1):
        draw = rng.random()
        if draw < 0.1 and written:
            # The same response exported twice: valid, it is a duplicate of the stored row;
            # invalid, of the quarantined one (a re-import adds nothing either way).
            cells, first = rng.choice(written)
            truth = Truth(first.response_id, "duplicate", first.day, first.store)
        elif draw < 0.3:
            cells, truth = _invalid(rng, n)
            written.append((cells, truth))
        else:
            cells, truth = _valid(rng, n)
            written.append((cells, truth))
        writer.writerow(cells)
        truths.append(truth)
    return Export(out.getvalue().encode("utf-8-sig"), truths)
