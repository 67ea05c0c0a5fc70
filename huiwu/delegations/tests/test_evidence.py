"""Receipts and photos: uploaded by whoever does the task, kept out of the public media, images re-encoded
without their metadata, size and type limited, and served only through the task's access check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from huiwu.accounts.services import api_token_create
from huiwu.delegations.models import DelegationEvidence
from huiwu.delegations.services import evidence_add
from huiwu.testing import STRICT_CSP, login_as

from .conftest import image_upload

GPS_AND_SERIAL = {0x010F: "HUAWEI", 0x0110: "Mate 60", 0xA431: "SERIAL-1234567"}


def _exif_upload() -> SimpleUploadedFile:
    exif = Image.Exif()
    for tag, value in GPS_AND_SERIAL.items():
        exif[tag] = value
    return image_upload("小票.jpg", exif=exif.tobytes())


def test_it_stores_a_receipt_privately_re_encoded_without_its_metadata(client, attendant, done, tmp_path):
    upload = _exif_upload()
    assert b"SERIAL-1234567" in upload.read()
    upload.seek(0)
    login_as(client, attendant)
    response = client.post(f"/delegations/{done.pk}/evidence/", {"kind": "receipt", "file": upload})
    assert response.status_code == 302
    evidence = DelegationEvidence.objects.get()
    assert (evidence.kind, evidence.content_type, evidence.original_name, evidence.uploaded_by) == (
        "receipt",
        "image/jpeg",
        "小票.jpg",
        attendant,
    )
    assert evidence.file.path.startswith(str(tmp_path))
    stored = evidence.file.read()
    assert b"SERIAL-1234567" not in stored
    assert b"HUAWEI" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert evidence.size == len(stored)
    assert done.events.filter(action="evidence").exists()


def test_it_serves_the_file_inline_and_private_to_who_may_see_the_task(client, attendant, client_contact, done):
    evidence = evidence_add(user=attendant, task=done, kind="photo", upload=image_upload("果盘.png", fmt="PNG"))
    login_as(client, client_contact)
    response = client.get(f"/delegations/{done.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_it_shows_thumbnails_on_the_task_page(client, attendant, hotline, done):
    evidence = evidence_add(user=attendant, task=done, kind="receipt", upload=image_upload())
    login_as(client, hotline)
    html = client.get(f"/delegations/{done.pk}/").content.decode()
    assert f'src="/delegations/{done.pk}/evidence/{evidence.pk}/"' in html


def test_it_keeps_a_pdf_and_serves_it_as_a_download_under_the_strict_policy(client, attendant, done):
    pdf = SimpleUploadedFile("发票.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    evidence = evidence_add(user=attendant, task=done, kind="receipt", upload=pdf)
    login_as(client, attendant)
    response = client.get(f"/delegations/{done.pk}/evidence/{evidence.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == STRICT_CSP


def test_it_refuses_a_file_that_is_no_image_or_pdf(client, attendant, done):
    login_as(client, attendant)
    fake = SimpleUploadedFile("receipt.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client.post(f"/delegations/{done.pk}/evidence/", {"kind": "receipt", "file": fake})
    assert response.status_code == 200
    assert "Only images (JPEG, PNG) or PDF files can be uploaded." in response.context["evidence_form"].errors["file"]
    assert not DelegationEvidence.objects.exists()


def test_it_refuses_a_file_too_large(client, attendant, done, settings):
    settings.EVIDENCE_MAX_MEGABYTES = 1
    login_as(client, attendant)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), content_type="application/pdf")
    response = client.post(f"/delegations/{done.pk}/evidence/", {"kind": "receipt", "file": big})
    assert "The file cannot be larger than 1 MB." in response.context["evidence_form"].errors["file"]
    assert not DelegationEvidence.objects.exists()


def test_it_needs_a_file_and_a_kind(client, attendant, done):
    login_as(client, attendant)
    response = client.post(f"/delegations/{done.pk}/evidence/", {"kind": "invoice"})
    errors = response.context["evidence_form"].errors
    assert set(errors) == {"kind", "file"}


def test_it_lets_only_the_doer_add_evidence(client, env_supervisor, client_contact, done):
    for person in (env_supervisor, client_contact):
        login_as(client, person)
        response = client.post(f"/delegations/{done.pk}/evidence/", {"kind": "receipt", "file": image_upload()})
        assert response.status_code == 403
    assert not DelegationEvidence.objects.exists()


def test_it_refuses_evidence_of_a_task_called_off(attendant, hotline, record):
    from django.core.exceptions import ValidationError

    from huiwu.delegations.services import task_cancel

    task = task_cancel(user=hotline, task=record(), reason="x")
    with pytest.raises(ValidationError):
        evidence_add(user=attendant, task=task, kind="receipt", upload=image_upload())


def test_it_answers_404_for_another_tasks_evidence(client, attendant, done, record):
    evidence = evidence_add(user=attendant, task=done, kind="receipt", upload=image_upload())
    other = record(title="制作横幅")
    login_as(client, attendant)
    assert client.get(f"/delegations/{other.pk}/evidence/{evidence.pk}/").status_code == 404
    assert client.get(f"/delegations/{done.pk}/evidence/99999999999999999999/").status_code == 404


def test_it_sends_an_anonymous_visitor_to_sign_in(client, attendant, done):
    evidence = evidence_add(user=attendant, task=done, kind="receipt", upload=image_upload())
    response = client.get(f"/delegations/{done.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 302


def test_it_uploads_and_serves_through_the_api(attendant, client_contact, done):
    headers = {"Authorization": f"Bearer {api_token_create(user=attendant, name='t')[1]}"}
    response = Client().post(
        f"/api/v1/tasks/{done.pk}/evidence", {"kind": "photo", "file": _exif_upload()}, headers=headers
    )
    assert response.status_code == 201, response.json()
    [evidence] = response.json()["evidence"]
    assert (evidence["kind"], evidence["kind_label"], evidence["content_type"]) == ("photo", "Photo", "image/jpeg")
    assert evidence["url"] == f"/api/v1/tasks/{done.pk}/evidence/{evidence['id']}"
    client_headers = {"Authorization": f"Bearer {api_token_create(user=client_contact, name='t')[1]}"}
    served = Client().get(evidence["url"], headers=client_headers)
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "photo"}, "file"),
        ({"kind": "selfie", "file": "image"}, "kind"),
        ({"kind": "photo", "file": "text"}, "file"),
        ({"kind": "photo", "file": "image", "colour": "red"}, "colour"),
    ],
)
def test_it_refuses_a_bad_upload_through_the_api(attendant, done, data, field):
    headers = {"Authorization": f"Bearer {api_token_create(user=attendant, name='t')[1]}"}
    files = {"image": image_upload(), "text": SimpleUploadedFile("a.jpg", b"hello", content_type="image/jpeg")}
    if "file" in data:
        data = data | {"file": files[data["file"]]}
    response = Client().post(f"/api/v1/tasks/{done.pk}/evidence", data, headers=headers)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert not DelegationEvidence.objects.exists()


def test_it_leaves_the_kind_of_an_upload_to_the_uploader(client, attendant, done):
    from huiwu.delegations.forms import EvidenceForm

    # Nothing is chosen for them: receipt or photo is theirs to say.
    assert EvidenceForm()["kind"].value() is None
    assert "checked" not in str(EvidenceForm()["kind"])
