"""Uploaded evidence is re-encoded or refused, and served back only as what it is (huiwu/lib/uploads.py)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.utils import translation
from PIL import Image

from huiwu.lib import uploads
from huiwu.lib.uploads import clean_upload, private_file_response, safe_file_name

_GPS_IFD = 0x8825
_ORIENTATION = 0x0112
_MAKE = 0x010F


def _image_bytes(image: Image.Image, format: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format=format, **options)
    return output.getvalue()


def _photo_with_gps(*, size=(40, 20), orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[_MAKE] = "PhoneMaker"
    exif[_ORIENTATION] = orientation
    exif.get_ifd(_GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    return _image_bytes(Image.new("RGB", size, "red"), "JPEG", exif=exif, comment=b"secret", icc_profile=b"")


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _reopened(clean) -> Image.Image:
    return Image.open(io.BytesIO(clean.content.read()))


def _message(error: pytest.ExceptionInfo) -> str:
    return error.value.messages[0]


def test_it_drops_exif_and_gps_from_a_photo(db):
    clean = clean_upload(_upload(_photo_with_gps()))
    image = _reopened(clean)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(image.info)
    assert clean.content_type == "image/jpeg"
    assert clean.size == len(clean.content) == clean.content.size


def test_it_turns_a_photo_upright_by_its_exif_orientation(db):
    # Orientation 6: the camera was held on its side; the stored pixels are 40 × 20, the photo is 20 × 40.
    image = _reopened(clean_upload(_upload(_photo_with_gps(size=(40, 20), orientation=6))))
    assert image.size == (20, 40)


def test_it_keeps_a_png_with_transparency_as_png(db):
    transparent = Image.new("RGBA", (10, 10), (0, 0, 255, 0))
    clean = clean_upload(_upload(_image_bytes(transparent, "PNG"), "logo.png"))
    image = _reopened(clean)
    assert (clean.content_type, clean.name, image.format, image.mode) == ("image/png", "logo.png", "PNG", "RGBA")
    assert image.getpixel((0, 0))[3] == 0


def test_it_stores_an_opaque_png_as_jpeg(db):
    screenshot = Image.new("RGBA", (10, 10), (0, 0, 255, 255))
    clean = clean_upload(_upload(_image_bytes(screenshot, "PNG"), "screen.png"))
    assert (clean.content_type, clean.name, _reopened(clean).format) == ("image/jpeg", "screen.jpg", "JPEG")


def test_it_keeps_the_first_frame_of_an_animated_gif(db):
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    data = _image_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:])
    image = _reopened(clean_upload(_upload(data, "moving.gif")))
    assert image.format == "JPEG"
    red, green, blue = image.getpixel((4, 4))
    assert red > 200
    assert max(green, blue) < 60


def test_it_re_encodes_webp(db):
    clean = clean_upload(_upload(_image_bytes(Image.new("RGB", (8, 8)), "WEBP"), "photo.webp"))
    assert (clean.content_type, clean.name) == ("image/jpeg", "photo.jpg")


def test_it_drops_what_is_hidden_after_the_image_data(db):
    data = _image_bytes(Image.new("RGB", (8, 8)), "JPEG") + b"<script>alert(1)</script>"
    assert b"<script>" not in clean_upload(_upload(data)).content.read()


def test_it_caps_the_longest_side(db):
    image = _reopened(clean_upload(_upload(_image_bytes(Image.new("RGB", (3000, 1500)), "JPEG"))))
    assert image.size == (2560, 1280)


def test_it_keeps_a_small_image_at_its_size(db):
    assert _reopened(clean_upload(_upload(_image_bytes(Image.new("RGB", (2560, 100)), "PNG")))).size == (2560, 100)


def test_it_refuses_a_text_file_renamed_jpg(db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        clean_upload(_upload(b"<html><script>alert(1)</script></html>", "receipt.jpg"))
    assert _message(error) == "只能上传图片（JPEG、PNG）或 PDF。"


def test_it_names_only_images_when_pdf_is_not_allowed(db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        clean_upload(_upload(b"plain text", "photo.jpg"), allow_pdf=False)
    assert _message(error) == "只能上传图片（JPEG、PNG）。"


def test_it_refuses_a_pdf_when_pdf_is_not_allowed(db):
    with pytest.raises(ValidationError):
        clean_upload(_upload(b"%PDF-1.7\n%%EOF\n", "scan.pdf"), allow_pdf=False)


def test_it_refuses_a_format_pillow_could_open_but_we_do_not_take(db):
    # EPS would be handed to Ghostscript; ICO is simply not what phones and scanners make.
    with pytest.raises(ValidationError):
        clean_upload(_upload(_image_bytes(Image.new("RGB", (16, 16)), "ICO"), "icon.jpg"))


def test_it_keeps_a_pdf_as_it_is(db):
    data = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    clean = clean_upload(_upload(data, "发票.pdf"))
    assert (clean.content.read(), clean.content_type, clean.name, clean.size) == (
        data,
        "application/pdf",
        "发票.pdf",
        len(data),
    )


def test_it_gives_a_file_the_extension_of_what_it_really_is(db):
    assert clean_upload(_upload(b"%PDF-1.4\n%%EOF\n", "receipt.jpg")).name == "receipt.pdf"
    assert clean_upload(_upload(_image_bytes(Image.new("RGB", (4, 4)), "PNG"), "receipt.pdf")).name == "receipt.jpg"


def test_it_refuses_a_truncated_image(db):
    data = _image_bytes(Image.new("RGB", (200, 200), "blue"), "PNG")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        clean_upload(_upload(data[: len(data) // 2], "cut.png"))
    assert _message(error) == "图片无法读取。"


def test_it_refuses_a_file_larger_than_the_setting(db, settings):
    settings.EVIDENCE_MAX_MEGABYTES = 1
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        clean_upload(_upload(b"%PDF-" + b"0" * (1024 * 1024 - 4)))
    assert _message(error) == "文件不能超过 1 MB。"


def test_it_takes_a_file_of_exactly_the_setting(db, settings):
    settings.EVIDENCE_MAX_MEGABYTES = 1
    assert clean_upload(_upload(b"%PDF-" + b"0" * (1024 * 1024 - 5))).size == 1024 * 1024


def test_it_refuses_a_decompression_bomb(db, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 99)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        clean_upload(_upload(_image_bytes(Image.new("RGB", (10, 10)), "PNG")))
    assert _message(error) == "图片像素过多，无法读取；请上传较小的图片。"


def test_it_takes_an_image_of_exactly_the_pixel_bound(db, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)
    assert clean_upload(_upload(_image_bytes(Image.new("RGB", (10, 10)), "PNG"))).content_type == "image/jpeg"


def test_it_refuses_what_pillow_itself_calls_a_bomb(db, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)
    with pytest.raises(ValidationError):
        clean_upload(_upload(_image_bytes(Image.new("RGB", (10, 10)), "PNG")))


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\王\\Desktop\\发票 2025.png", "发票 2025.jpg"),
        ("a\x00b\x1fc\u202e.jpg", "abc.jpg"),
        ('re"ceipt;<x>.jpg', "re_ceipt__x.jpg"),
        ("", "upload.jpg"),
        ("...", "upload.jpg"),
        (".jpg", "upload.jpg"),
        ("photo", "photo.jpg"),
        ("x" * 300 + ".jpg", "x" * 96 + ".jpg"),
    ],
)
def test_it_derives_a_safe_file_name(original, expected):
    assert safe_file_name(original, extension=".jpg") == expected


def test_it_keeps_file_names_within_the_bound():
    assert len(safe_file_name("照" * 500, extension=".pdf")) == 100


def _stored(data: bytes, name: str) -> FieldFile:
    storage = InMemoryStorage()
    field = type("Field", (), {"storage": storage})()
    return FieldFile(None, field, storage.save(name, io.BytesIO(data)))


def test_it_serves_a_private_file_inline_under_its_chinese_name(db):
    response = private_file_response(_stored(b"\xff\xd8jpeg", "x.jpg"), content_type="image/jpeg", filename="收据.jpg")
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E6%94%B6%E6%8D%AE.jpg"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" not in response
    assert b"".join(response.streaming_content) == b"\xff\xd8jpeg"
    response.close()


def test_it_serves_a_private_pdf_as_a_download(db):
    response = private_file_response(_stored(b"%PDF-1.4", "x.pdf"), content_type="application/pdf", filename="a.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()
