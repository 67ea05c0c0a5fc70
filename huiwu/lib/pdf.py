"""PDFs from templates (WeasyPrint), offline: the CJK font comes from the system (fonts-noto-cjk, installed by
`make run` and `make test`) and WeasyPrint embeds the subset of it the document uses, so a PDF prints the same
on any office PC; a resource on another host is never fetched (government intranets are offline)."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_CONTENT_TYPE = "application/pdf"


def pdf_bytes(template: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template, context, request=request)
    # Only data: URLs (inlined by the template): a file or a host is never read.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str, request: HttpRequest | None = None) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template, context, request=request), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
