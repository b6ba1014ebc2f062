from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pouls.feedback.models import Feedback
from pouls.testing import Personas, make_grant, make_perimeter, make_user


def test_a_seller_files_a_report_for_his_store(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    response = client.post(
        reverse("feedback-field-report-new"),
        {
            "perimeter": personas.lille.pk,
            "category": "expectation",
            "text": "Une cliente, Mme Martin (mme.martin@example.com), attend le modèle bleu.",
        },
    )
    assert response.status_code == 302
    report = Feedback.objects.get()
    assert (report.perimeter, report.source_kind, report.category) == (
        personas.lille,
        "field_report",
        "expectation",
    )
    assert "mme.martin@example.com" not in report.text and "[EMAIL]" in report.text


def test_a_dysfunction_reaches_the_department_that_owns_it(
    client: Client, personas: Personas
) -> None:
    logistics = make_perimeter(name="Logistique", kind="department", parent=personas.group)
    dora = make_user("dora-logistique")  # personas.dora exists: another name
    make_grant(dora, logistics, "viewer")
    client.force_login(personas.bob)
    client.post(
        reverse("feedback-field-report-new"),
        {
            "perimeter": personas.lille.pk,
            "category": "dysfunction",
            "text": "Livraisons du mardi toujours en retard.",
            "department": logistics.pk,
        },
    )
    report = Feedback.objects.get()
    assert report.perimeter == logistics
    assert list(Feedback.objects.for_user(dora)) == [report]
    assert not Feedback.objects.for_user(personas.bob).exists()  # it left the store's scope


def test_a_report_for_a_perimeter_outside_scope_is_refused(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.bob)
    response = client.post(
        reverse("feedback-field-report-new"),
        {
            "perimeter": personas.marseille.pk,
            "category": "idea",
            "text": "Idée",
        },
    )
    assert response.status_code == 200 and "perimeter" in response.context["form"].errors
    assert not Feedback.objects.exists()


def test_the_form_is_usable_on_a_phone(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    body = client.get(reverse("feedback-field-report-new")).content.decode()
    assert 'name="viewport"' in body and "<label" in body and "Site Marseille" not in body
