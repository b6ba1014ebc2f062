# ruff: noqa: E501  (hand-written sentences: one per line reads better than split strings)
"""Hand-written parts of the labelled French e-mails and letters (``mail_fr.jsonl``).

Every part was written for Pouls (no real message). ``python -m
pouls.feedback.tests.data.mail_fr_parts`` composes them, with a fixed seed, into 130 documents
and rewrites ``mail_fr.jsonl`` (about 100 e-mails and 26 letters): each document is a list of segments ``[text, role, joiner]``
(role ``body`` is the customer's words and must stay; ``quote``, ``signature``, ``header``
(forward separators, letterheads) and ``noise`` must go; joiner ``"\\n"`` starts a new line,
``" "`` continues the line). Personal data is marked ``{kind|text}`` as in ``pii_fr.jsonl``.

Parts with an even index make the ``tune`` documents, odd ones the ``test`` documents: the
cleaning rules were written by reading ``tune`` errors only.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, TypeVar

GREETINGS = [
    "Bonjour,",
    "Bonjour Madame, Monsieur,",
    "Bonsoir,",
    "Madame, Monsieur,",
    "Bonjour à tous,",
    "Hello,",
]

BODIES = [
    "Je n'ai toujours pas reçu ma commande n° 458712 passée le 28 novembre.\nLe suivi indique « livré » mais il n'y a rien dans ma boîte aux lettres.",
    "Le lave-linge livré mardi fuit par le bas dès le premier lavage.\nLe technicien {name|Kevin} est passé mais n'avait pas la pièce.",
    "Très satisfaite de l'accueil au magasin de Villeneuve, {name|Sandrine} a pris le temps de tout m'expliquer.",
    "On m'a facturé deux fois la livraison (2 × 29,90 €).\nMerci de me rembourser la différence sur ma carte.",
    "Le canapé est arrivé avec un pied cassé et une tache sur l'assise.\nJe joins trois photos.\nQue proposez-vous ?",
    "Votre hotline m'a raccroché au nez deux fois ce matin.\nJe veux simplement savoir quand mon frigo sera réparé.",
    "Je souhaite être rappelé au {phone|06 71 22 45 90} pour fixer le rendez-vous de pose.",
    "La cuisine est enfin montée, l'équipe de {name|Mehdi} a fait un travail remarquable.\nMerci pour le suivi.",
    "Le produit ne correspond pas à la description : la couleur annoncée « bleu marine » est en réalité grise.",
    "J'ai commandé en click & collect mais au retrait personne ne trouvait mon colis.\nJ'ai attendu 40 minutes.",
    "Remboursement demandé le 3 novembre, toujours rien.\nMon IBAN est {iban|FR76 3000 6000 0112 3456 7890 189}.",
    "Je voulais signaler que la caissière {name|Nadia} a été d'une gentillesse rare avec ma mère.",
    "Le site affiche le produit en stock mais le magasin de Lyon dit le contraire.\nQui croire ?",
    "Votre livreur a laissé le colis devant la porte sous la pluie.\nLe carton était trempé et la notice illisible.",
    "Je résilie mon abonnement fidélité, les avantages ont disparu sans prévenir.",
    "La facture FA-2026-0412 comporte une erreur d'adresse, merci de la corriger.",
    "Mon mari a appelé le service client trois fois, personne ne rappelle.\nVous pouvez le joindre au {phone|07 81 22 45 90}.",
    "Bravo pour la rapidité : commandé lundi soir, livré mardi midi.",
    "Le vendeur {name|Julien} m'a vendu une garantie que je n'avais pas demandée.\nJe veux l'annuler.",
    "Suite à votre appel, je confirme que le rendez-vous du 12 décembre me convient.",
    "Le drive était fermé à 19 h alors que le site indique 21 h.\nDéplacement pour rien.",
    "J'ai payé avec la carte {card|4970 1234 5678 9012} et j'ai été débité deux fois.",
    "Pouvez-vous me dire où en est ma réclamation ?\nCela fait trois semaines.",
    "Le matelas commandé a une odeur chimique très forte, impossible de dormir.",
    "Je tiens à remercier {name|Mme Roussel} du service après-vente pour sa patience.",
    "La pièce détachée est arrivée mais ce n'est pas la bonne référence.\nJe renvoie le colis.",
    "Écrivez-moi plutôt sur {email|paul point girard at gmail point com}, l'autre adresse ne marche plus.",
    "Bon accueil, mais il manque des vendeurs au rayon jardin le samedi.",
    "Je conteste les frais de retour : le produit était défectueux dès l'ouverture.",
    "Très déçu par le service de pose, les plinthes sont mal coupées et les joints baveux.",
    "Mon colis a été livré chez le voisin du 14, qui est absent jusqu'à lundi.",
    "Le bon d'achat de 20 € n'a pas été appliqué sur ma commande du 2 décembre.",
    "La trottinette s'éteint toute seule après dix minutes, c'est la deuxième fois.",
    "Merci à {name|Thomas} et {name|Léa} pour leur aide lors du chargement.",
    "Je vous écris car la garantie refuse la prise en charge alors que l'appareil a 11 mois.",
    "Le magasin était propre et bien rangé, rien à redire.",
    "Rappelez-moi au {phone|06/12/34/56/78} après 18 h s'il vous plaît.",
    "J'attends toujours l'avoir promis par {name|Laurent} au téléphone le 20 novembre.",
    "Impossible de me connecter à mon espace client depuis la mise à jour.",
    "La livraison a été reportée trois fois sans explication.\nJe demande l'annulation de la commande.",
]

SIGNATURES = [
    ["Cordialement,", "{name|Marie Dupont}", "{phone|06 12 34 56 78}"],
    [
        "Bien à vous,",
        "{name|Arnaud Chevalier}",
        "Responsable achats",
        "Société Chevalier & Fils",
        "{address|12 rue des Tanneurs, 59000 Lille}",
        "Tél. : {phone|03 20 45 67 89}",
    ],
    ["Cordialement, {name|Julie Bernard}, {phone|06 45 78 12 33}"],
    ["--", "{name|Stéphane Morel}", "{email|s.morel@example.fr}"],
    ["Merci d'avance,", "{name|Karim B.}"],
    [
        "Bien cordialement",
        "",
        "{name|Claire Fontaine}",
        "Assistante de direction",
        "Standard : {phone|01 45 67 89 12}",
        "Ligne directe : {phone|01 45 67 89 30}",
        "{email|claire.fontaine@example.com}",
        "www.example.com",
        "",
        "Ce message et ses pièces jointes sont confidentiels. Si vous l'avez reçu par erreur, merci de le détruire et d'en avertir l'expéditeur.",
    ],
    ["Salutations,", "{name|P. Gauthier}"],
    ["Bonne journée,", "{name|Nathalie}"],
    [
        "Sincères salutations.",
        "{name|Jean-Pierre Leroy}",
        "{address|3 bis avenue Jean Jaurès}",
        "{address|69007 Lyon}",
    ],
    ["Amicalement, {name|Louis}"],
    ["Cdlt", "{name|M. Benali}"],
    ["Merci et bonne soirée", "{name|Sophie}", "Envoyé de mon iPhone"],
    ["Respectueusement,", "{name|Fatoumata Diallo}", "{phone|+33 6 45 23 11 09}"],
    ["Best regards,", "{name|Wojciech Kowalski}", "Purchasing manager"],
    ["En vous remerciant par avance,", "{name|Geneviève Lambert}"],
    ["Bien à vous, {name|Hugo Fernandes} – {phone|07.68.12.90.33}"],
    ["À bientôt,", "{name|Manon}", "", "Envoyé depuis mon mobile"],
    [
        "Cordialement",
        "",
        "{name|Thierry Caron}",
        "Gérant – Boulangerie Caron",
        "{address|8 place du Marché, 35000 Rennes}",
        "{phone|02 99 12 34 56}",
        "",
        "Pensez à l'environnement avant d'imprimer ce courriel.",
    ],
    ["Merci beaucoup,", "{name|Aïssatou}"],
    [
        "Bien cordialement,",
        "{name|Nguyen Van Long}",
        "{email|nguyen.vanlong@example.org}",
        "",
        "Télécharger Outlook pour Android",
    ],
]

QUOTES = [
    [
        "Le lun. 7 déc. 2026 à 10:12, Service client <service@enseigne.example> a",
        "écrit :",
        "> Bonjour Madame, votre dossier est en cours de traitement.",
        "> Cordialement, le service client",
    ],
    [
        "De : Service client <service@enseigne.example>",
        "Envoyé : lundi 7 décembre 2026 10:12",
        "À : {name|Marie Dupont} <{email|marie.dupont@example.fr}>",
        "Objet : RE: Réclamation",
        "",
        "Bonjour, nous revenons vers vous rapidement.",
    ],
    [
        "Le 07/12/2026 à 10:12, {name|Jean Martin} a écrit :",
        "> Pouvez-vous nous envoyer une photo du produit ?",
    ],
    [
        "-----Message d'origine-----",
        "De : SAV <sav@enseigne.example>",
        "Envoyé : vendredi 4 décembre 2026 16:40",
        "Objet : Votre demande 458712",
        "Merci de nous indiquer vos disponibilités.",
    ],
    [
        "On Mon, Dec 7, 2026 at 10:12 AM Customer Service <service@enseigne.example>",
        "wrote:",
        "> Dear customer, thank you for your message.",
    ],
    [
        "Le 7 déc. 2026 à 10:12, {name|Sophie Marchand} <{email|sophie.marchand@example.fr}> a écrit :",
        "",
        "> Bonjour,",
        "> Je vous confirme le rendez-vous.",
    ],
    [
        "________________________________",
        "De : Enseigne – Service clients",
        "Envoyé : mardi 8 décembre 2026 09:03",
        "À : client",
        "Objet : Votre avis compte",
    ],
    [
        "Le mardi 8 décembre 2026, 09:03:12 UTC+1, Service Clients <noreply@enseigne.example> a",
        "écrit :",
        "",
        "Votre commande a été expédiée.",
    ],
]

FORWARDS = [
    [
        "---------- Forwarded message ---------",
        "De : {name|Paul Durand} <{email|p.durand@example.fr}>",
        "Date: lun. 7 déc. 2026 à 09:00",
        "Subject: Plainte livraison",
        "To: <contact@enseigne.example>",
        "",
    ],
    [
        "-------- Message transféré --------",
        "Sujet : Réclamation",
        "Date : Mon, 7 Dec 2026 09:00:00 +0100",
        "De : {name|Lucie Martin} <{email|lucie.martin@example.fr}>",
        "Pour : contact@enseigne.example",
        "",
    ],
    [
        "Début du message réexpédié :",
        "",
        "De: {name|Camille Petit} <{email|camille.petit@example.fr}>",
        "Objet: Remboursement",
        "Date: 6 décembre 2026 à 18:22:10 UTC+1",
        "À: sav@enseigne.example",
        "",
    ],
    [
        "---------- Message transféré ---------",
        "De : {name|Omar Haddad} <{email|omar.haddad@example.fr}>",
        "Date : dim. 6 déc. 2026 à 20:15",
        "Objet : Livraison",
        "À : <magasin@enseigne.example>",
        "",
    ],
]
FORWARD_NOTES = [
    "Pour info, voir le message du client ci-dessous.",
    "Je te transfère la réclamation reçue ce matin.",
    "",
    "À traiter en priorité svp.",
]

LETTERHEADS = [
    [
        "{name|Geneviève Lambert}",
        "{address|8 allée des Lilas}",
        "{address|44000 Nantes}",
        "Tél. : {phone|02 40 12 34 56}",
        "",
        "Service clients",
        "Enseigne SA",
        "BP 123",
        "59000 Lille",
        "",
        "Nantes, le 3 mars 2026",
        "",
    ],
    [
        "{name|M. et Mme Caron}",
        "{address|14 rue Pasteur, 35000 Rennes}",
        "",
        "Rennes, le 12 novembre 2026",
        "",
        "Lettre recommandée avec accusé de réception",
        "",
    ],
    [
        "{name|Bernard Lefèvre}",
        "{address|3 chemin des Vignes}",
        "{address|33000 Bordeaux}",
        "{email|bernard.lefevre@example.fr}",
        "",
        "À l'attention du service réclamations",
        "",
        "Bordeaux, le 1er décembre 2026",
        "",
    ],
    ["Lille, le 28/11/2026", ""],
    [
        "{name|Fatima Benali}",
        "{address|22 boulevard Victor Hugo}",
        "{address|13008 Marseille}",
        "N° client : 458 712",
        "",
        "Marseille, le 30 novembre 2026",
        "",
    ],
    [
        "{name|Jacques Moreau}",
        "{address|5 impasse du Moulin, 21000 Dijon}",
        "{phone|03 80 45 67 89}",
        "",
        "",
    ],
]
LETTER_SUBJECTS = [
    "Objet : réclamation commande 458712",
    "Objet : demande de remboursement",
    "Objet : contestation de facture",
    "",
    "Objet : remerciements",
]
SALUTATIONS = ["Madame, Monsieur,", "Monsieur le Directeur,", "Madame,", "Messieurs,"]
FORMULAS = [
    "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
    "Dans l'attente de votre réponse, je vous prie de croire, Monsieur le Directeur, à mes sentiments les meilleurs.",
    "Veuillez agréer, Madame, mes sincères salutations.",
    "Recevez, Messieurs, mes salutations respectueuses.",
    "Je vous adresse, Madame, Monsieur, mes sincères salutations.",
    "Dans l'attente d'une réponse rapide, veuillez recevoir mes salutations distinguées.",
]
LETTER_SIGNATURES = [
    ["{name|Geneviève Lambert}"],
    ["{name|Bernard Lefèvre}", "(signature)"],
    ["{name|J. Moreau}"],
    ["{name|Fatima Benali}", "P.J. : copie de la facture"],
    [],
    ["{name|Caron}"],
]
POSTSCRIPTS = ["P.S. : j'ai gardé l'emballage d'origine si besoin."]
SEED = 18


T = TypeVar("T")


def _pick(rng: random.Random, items: list[T], parity: int) -> T:
    return rng.choice([x for i, x in enumerate(items) if i % 2 == parity])


def _segments(text: str, role: str, joiner: str = "\n") -> list[list[str]]:
    return [[line, role, joiner if i == 0 else "\n"] for i, line in enumerate(text.split("\n"))]


def _email(rng: random.Random, parity: int, n: int) -> dict[str, Any]:
    segs: list[list[str]] = []
    shape = n % 6  # 0 plain, 1 quote, 2 forward, 3 one-line sign-off, 4 html, 5 empty body
    segs += _segments(rng.choice(GREETINGS), "body")
    body = _pick(rng, BODIES, parity)
    if shape == 2:
        note = rng.choice(FORWARD_NOTES)
        segs = _segments(note, "body") if note else []
        segs += [[x, "header", "\n"] for x in _pick(rng, FORWARDS, parity)]
        segs += _segments(rng.choice(GREETINGS), "body")
    if shape != 5:
        segs += _segments(body, "body")
    signature = _pick(rng, SIGNATURES, parity)
    if shape == 3 and len(signature) > 1:  # the sign-off and signature on the body's last line
        segs.append([", ".join(x for x in signature[:2]), "signature", " "])
        signature = signature[2:]
    segs += [[x, "signature", "\n"] for x in signature]
    if shape == 1 or (shape in (4, 5) and rng.random() < 0.5):
        segs += [["", "quote", "\n"]] + [[x, "quote", "\n"] for x in _pick(rng, QUOTES, parity)]
    if n % 7 == 0:
        segs += (
            [["", "body", "\n"], [POSTSCRIPTS[0], "body", "\n"]] if shape not in (1, 4, 5) else []
        )
    return {"kind": "email", "format": "html" if shape == 4 else "plain", "segments": segs}


def _letter(rng: random.Random, parity: int, n: int) -> dict[str, Any]:
    segs = [[x, "header", "\n"] for x in _pick(rng, LETTERHEADS, parity)]
    subject = rng.choice(LETTER_SUBJECTS)
    if subject:
        segs += [[subject, "subject", "\n"], ["", "header", "\n"]]
    segs += [[rng.choice(SALUTATIONS), "body", "\n"], ["", "body", "\n"]]
    segs += _segments(_pick(rng, BODIES, parity), "body")
    segs.append([_pick(rng, FORMULAS, parity), "signature", " " if n % 2 else "\n"])
    segs += [["", "signature", "\n"]] + [
        [x, "signature", "\n"] for x in _pick(rng, LETTER_SIGNATURES, parity)
    ]
    return {"kind": "letter", "format": "plain", "segments": segs}


def build() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    docs = []
    for n in range(130):
        parity = n % 2
        doc = _letter(rng, parity, n // 5) if n % 5 == 3 else _email(rng, parity, n // 2)
        doc = {"id": f"{doc['kind']}-{n:03d}", "split": "tune" if parity == 0 else "test", **doc}
        docs.append(doc)
    return docs


def main() -> None:
    out = Path(__file__).with_name("mail_fr.jsonl")
    with out.open("w", encoding="utf-8") as handle:
        for doc in build():
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
