"""PDFs from templates (WeasyPrint), offline: the CJK font comes from the system (fonts-noto-cjk, installed by
`make run` and `make test`) and WeasyPrint embeds the subset of it the document uses, so a PDF prints the same
on any office PC; a resource on another host is never fetched (government intranets are offline)."""

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from PIL import ImageFile

PDF_CONTENT_TYPE = "application/pdf"
# What every PDF shares (the font, the page, tables, boxes to tick); each kind adds its own stylesheet.
BASE_STYLESHEET = "huiwu/pdf.css"


def pdf_bytes(template: str, context: dict, *, stylesheet: str, request: HttpRequest | None = None) -> bytes:
    """`template` rendered with the base stylesheet and the static `stylesheet` (e.g. "huiwu/pdf-seating.css")."""
    # Imported here, not at start-up: importing it sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process,
    # which would let a truncated photo through the upload checks (lib/uploads.py); it is put back at once.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_to_string(template, context, request=request)
    # Only data: URLs (inlined by the template): a file or a host is never read.
    fetcher = URLFetcher(allowed_protocols={"data"})
    sheets = [CSS(filename=finders.find(name), url_fetcher=fetcher) for name in (BASE_STYLESHEET, stylesheet)]
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=sheets)


def pdf_response(
    template: str, context: dict, *, stylesheet: str, filename: str, request: HttpRequest | None = None
) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template, context, stylesheet=stylesheet, request=request))
    response["Content-Type"] = PDF_CONTENT_TYPE
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
