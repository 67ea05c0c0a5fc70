"""PDFs made offline (huiwu/lib/pdf.py), and what making one must not change for the rest of the process."""

import io

from PIL import Image, ImageFile
from pypdf import PdfReader

from huiwu.lib.pdf import pdf_bytes
from huiwu.lib.staticfiles import GzipManifestStaticFilesStorage


def test_it_embeds_the_cjk_font_and_fetches_nothing(db, tmp_path, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path], "APP_DIRS": True},
    ]
    # A real image on this disk, which WeasyPrint's own fetcher would read and embed.
    Image.new("RGB", (20, 20), "red").save(tmp_path / "logo.png")
    (tmp_path / "probe.html").write_text(
        f'<p>周国庆 局长</p><img src="file://{tmp_path}/logo.png"><img src="http://example.cn/logo.png">'
    )
    reader = PdfReader(io.BytesIO(pdf_bytes("probe.html", {}, stylesheet="huiwu/pdf-seating.css")))
    assert "周国庆 局长" in reader.pages[0].extract_text()
    # Neither image was read: the page holds no image at all.
    assert not reader.pages[0]["/Resources"]["/XObject"]


def test_it_leaves_truncated_images_refused_after_a_pdf(db, tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path], "APP_DIRS": True}]
    (tmp_path / "probe.html").write_text("<p>座次图</p>")
    pdf_bytes("probe.html", {}, stylesheet="huiwu/pdf-seating.css")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "blue").save(buffer, format="PNG")
    truncated = Image.open(io.BytesIO(buffer.getvalue()[:-40]))
    try:
        truncated.load()
    except OSError:
        return
    raise AssertionError("a truncated image loaded")


def test_it_compresses_static_files_with_gzip_only():
    # Brotli at its highest quality made every `huiwu serve` start take some 20 s.
    assert GzipManifestStaticFilesStorage().create_compressor().use_brotli is False
