"""Files that users upload as evidence (receipts, photos of the work) and how they are served back.

An upload is never stored as it came. Photos from phones carry EXIF metadata (the GPS position of a government
building, the phone's serial number), and a file named receipt.jpg may be HTML or a script that a browser would
run from our origin. So every image is decoded and re-encoded from its pixels alone, which drops all metadata
and any payload hidden after the image data; a PDF, which we cannot re-encode, is kept only when it starts as a
PDF does, and is served so that the browser treats it as nothing but a PDF.
"""

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"

_EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}


def private_storage():
    """The storage of files served through an access check only, never as public media (settings.STORAGES):
    the delegated tasks' evidence, the monthly service reports."""
    return storages["private"]


# Only the formats that phones, scanners and screenshots produce. Pillow's other plugins widen what an attacker
# can feed the decoder, and EPS would even hand the file to Ghostscript.
_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "GIF", "BMP", "TIFF")

# A photo is evidence, not an archive: 2560 px on the longest side still shows every figure on a receipt.
MAX_SIDE = 2560
# A small file may decode into an enormous image (a "decompression bomb"). 50 million pixels is more than any
# phone camera takes; decoding that much is the most memory one upload may cost.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85

MAX_NAME_LENGTH = 100
_FALLBACK_STEM = "upload"
# Reserved on Windows, where a user opens the downloaded file, or meaningful in a path or a header.
_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|;%]')


@dataclass(frozen=True)
class CleanUpload:
    content: ContentFile  # the bytes to store (images re-encoded)
    name: str  # a safe file name with the extension of the real type, e.g. "receipt.jpg"
    content_type: str  # JPEG, PNG or PDF
    size: int


def clean_upload(upload: UploadedFile, *, allow_pdf: bool = True) -> CleanUpload:
    """The upload made safe to store and to serve, or a ValidationError in the user's language."""
    limit = settings.EVIDENCE_MAX_MEGABYTES
    if upload.size is None or upload.size > limit * 1024 * 1024:
        raise ValidationError(_("The file cannot be larger than %(megabytes)s MB.") % {"megabytes": limit})
    upload.seek(0)
    data = upload.read()
    # The size the client declared is checked above; what it actually sent is what counts.
    if len(data) > limit * 1024 * 1024:
        raise ValidationError(_("The file cannot be larger than %(megabytes)s MB.") % {"megabytes": limit})
    if data.startswith(b"%PDF-"):
        if not allow_pdf:
            raise ValidationError(_("Only images (JPEG, PNG) can be uploaded."))
        content_type, content = PDF, data
    else:
        content_type, content = _reencoded_image(data, allow_pdf=allow_pdf)
    name = safe_file_name(upload.name or "", extension=_EXTENSIONS[content_type])
    return CleanUpload(content=ContentFile(content, name=name), name=name, content_type=content_type, size=len(content))


def _wrong_type(*, allow_pdf: bool) -> ValidationError:
    if allow_pdf:
        return ValidationError(_("Only images (JPEG, PNG) or PDF files can be uploaded."))
    return ValidationError(_("Only images (JPEG, PNG) can be uploaded."))


def _reencoded_image(data: bytes, *, allow_pdf: bool) -> tuple[str, bytes]:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; our own, lower bound refuses those.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _too_many_pixels()
                # An animated GIF or WebP keeps its first frame, which is what it shows before it moves.
                image.seek(0)
                upright = ImageOps.exif_transpose(image)
    except UnidentifiedImageError as error:
        raise _wrong_type(allow_pdf=allow_pdf) from error
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Truncated or corrupt: Pillow recognised the header but not what follows.
        raise ValidationError(_("The image cannot be read.")) from error
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if _is_transparent(upright):
        content_type, pixels, options = PNG, upright.convert("RGBA"), {"format": "PNG", "optimize": True}
    else:
        content_type, pixels = JPEG, upright.convert("RGB")
        options = {"format": "JPEG", "quality": JPEG_QUALITY, "optimize": True}
    # convert() copies the source's info (EXIF, XMP, ICC profile, comments); the saved file must carry none of it.
    pixels.info = {}
    output = io.BytesIO()
    pixels.save(output, **options)
    return content_type, output.getvalue()


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("The image has too many pixels to be read; upload a smaller one."))


def _is_transparent(image: Image.Image) -> bool:
    """Whether some pixel is at least partly see-through: an alpha channel that is opaque everywhere (common in
    screenshots) is stored as a JPEG like any photo."""
    if "transparency" in image.info:  # a palette or a single colour keyed as see-through
        image = image.convert("RGBA")
    if "A" not in image.getbands():
        return False
    lowest, _highest = image.getchannel("A").getextrema()
    return lowest < 255


def safe_file_name(original: str, *, extension: str) -> str:
    """The name a file keeps for its download: the user's own name without path, control or reserved characters,
    at most MAX_NAME_LENGTH characters, ending in the extension of what the file really is."""
    base = unicodedata.normalize("NFC", original.replace("\\", "/").rsplit("/", 1)[-1])
    stem = base.rsplit(".", 1)[0]
    stem = "".join(c for c in stem if not unicodedata.category(c).startswith(("C", "Z")) or c == " ")
    stem = _NAME_UNSAFE.sub("_", stem).strip(" ._")
    stem = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" ._") or _FALLBACK_STEM
    return stem + extension


def private_file_response(file: FieldFile, *, content_type: str, filename: str) -> FileResponse:
    """A stored upload for the one user whose access has just been checked: shown in the browser, never guessed
    at as another type, never kept by a shared cache."""
    # A PDF may hold scripts and forms: it is downloaded (the phone opens it in its own viewer), never shown as
    # a document of our origin. Images are shown inline; every response keeps the strict policy of the site.
    pdf = content_type == PDF
    response = FileResponse(file.open("rb"), content_type=content_type, filename=filename, as_attachment=pdf)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
