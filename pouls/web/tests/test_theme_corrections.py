"""Correcting a text's themes from the verbatim pages: analysts and admins of its perimeter
only; viewers see the chips and get 403; other perimeters' texts are 404."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pouls.annotations.models import ThemeCorrection
from pouls.annotations.services import annotate
from pouls.feedback.models import Feedback
from pouls.testing import Personas, make_feedback

# The delivery chip (its French label, then its correction form).
CHIP = '<span class="chip found negative">Livraison'
LATE = "Livraison en retard de trois semaines et vendeur désagréable, je suis très déçu."


def _late(personas: Personas, perimeter: str = "lille") -> Feedback:
    feedback = make_feedback(perimeter=getattr(personas, perimeter), nps=2, text=LATE)
    annotate([feedback.pk])
    return feedback


def _correct(client: Client, feedback: Feedback, theme: str, present: str, **extra: str) -> int:
    url = reverse("web-theme-correction", args=[feedback.code])
    return client.post(url, {"theme": theme, "present": present, **extra}).status_code


def test_an_analyst_withdraws_adds_and_has_the_last_word(
    client: Client, personas: Personas
) -> None:
    feedback = _late(personas)
    detail = reverse("web-feedback-detail", args=[feedback.code])
    client.force_login(personas.carol)
    body = client.get(detail).content.decode()
    assert CHIP in body and "Ce thème ne convient pas" in body and "Ajouter un thème" in body

    response = client.post(
        reverse("web-theme-correction", args=[feedback.code]),
        {"theme": "delivery", "present": "0", "next": detail},
    )
    assert response.status_code == 302 and response["Location"] == detail
    assert _correct(client, feedback, "price", "1") == 302
    body = client.get(detail).content.decode()
    assert "retiré par un analyste" in body and "ajouté par un analyste" in body

    assert _correct(client, feedback, "delivery", "1") == 302  # the last word wins
    said = dict(ThemeCorrection.objects.values_list("theme", "present"))
    assert said == {"delivery": True, "price": True}
    correction = ThemeCorrection.objects.get(theme="delivery")
    assert (correction.user, correction.perimeter_id) == (personas.carol, personas.lille.pk)


def test_the_verbatim_list_shows_chips_and_forms_to_analysts_only(
    client: Client, personas: Personas
) -> None:
    _late(personas)
    url = reverse("web-verbatim-list", args=[personas.lille.code])
    client.force_login(personas.carol)
    body = client.get(url).content.decode()
    assert CHIP in body and "Ce thème ne convient pas" in body
    client.force_login(personas.bob)
    body = client.get(url).content.decode()
    assert CHIP in body
    assert "Ce thème ne convient pas" not in body and "Ajouter un thème" not in body


def test_a_viewer_cannot_correct(client: Client, personas: Personas) -> None:
    feedback = _late(personas)
    client.force_login(personas.bob)
    assert _correct(client, feedback, "delivery", "0") == 403
    assert not ThemeCorrection.objects.exists()


def test_another_perimeters_text_is_not_found(client: Client, personas: Personas) -> None:
    feedback = _late(personas, "marseille")
    client.force_login(personas.carol)
    assert _correct(client, feedback, "delivery", "0") == 404
    client.force_login(personas.alice)  # admin of the group
    assert _correct(client, feedback, "delivery", "0") == 302
    assert ThemeCorrection.objects.get().user == personas.alice


def test_an_unknown_theme_is_refused_and_next_stays_on_this_site(
    client: Client, personas: Personas
) -> None:
    feedback = _late(personas)
    client.force_login(personas.carol)
    assert _correct(client, feedback, "licornes", "1") == 400
    assert _correct(client, feedback, "delivery", "peut-être") == 400
    response = client.post(
        reverse("web-theme-correction", args=[feedback.code]),
        {"theme": "delivery", "present": "0", "next": "https://ailleurs.example/"},
    )
    assert response["Location"] == reverse("web-feedback-detail", args=[feedback.code])
