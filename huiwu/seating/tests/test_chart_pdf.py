"""The seating chart as a PDF: the names in their seats' order as the audience sees them, the CJK font embedded
(it prints the same on any office PC), through the meeting's access, a confidential one's export audited."""

import io

import pytest
from pypdf import PdfReader

from huiwu.seating.services import seating_plan_generate
from huiwu.security.models import AuditEntry
from huiwu.testing import login_as

ORDER = ["韩立", "陈静", "吴晓峰", "周国庆", "李建华", "宋家明", "郑思远"]


def _reader(response) -> PdfReader:
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for descendant in descendants:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font["/BaseFont"]))
    return fonts


def test_it_prints_the_rostrum_as_the_audience_sees_it_with_the_font_embedded(client, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="rostrum")
    login_as(client, team_leader)
    reader = _reader(client.get(f"/seating/meetings/{meeting.pk}/chart.pdf"))
    text = reader.pages[0].extract_text()
    assert "全市机关事务工作会" in text
    assert [text.index(name) for name in ORDER] == sorted(text.index(name) for name in ORDER)
    assert "副市长" in text
    # A subset ("ABCDEF+Noto-Sans-CJK-SC") with its font file in the PDF.
    assert any("Noto-Sans-CJK-SC" in font for font in _embedded_fonts(reader)), _embedded_fonts(reader)


def test_it_answers_the_same_pdf_over_the_api(api, attendant, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="table")
    reader = _reader(api(attendant, "get", f"/meetings/{meeting.pk}/seating.pdf"))
    text = reader.pages[0].extract_text()
    assert text.index("客方") < text.index("李建华") < text.index("主方") < text.index("周国庆")


@pytest.mark.parametrize("path", ["/seating/meetings/{id}/chart.pdf"])
def test_it_answers_404_before_a_plan_and_for_a_meeting_one_may_not_see(client, team_leader, meeting, path):
    login_as(client, team_leader)
    assert client.get(path.format(id=meeting.pk)).status_code == 404
    assert client.get(path.format(id=999999)).status_code == 404


def test_it_audits_the_export_of_a_confidential_meetings_chart(client, book, people, manager):
    meeting = book(title="保密专题会", attendees=list(people.values()), confidentiality=1)
    seating_plan_generate(user=manager, meeting=meeting, arrangement="rostrum")
    login_as(client, manager)
    assert client.get(f"/seating/meetings/{meeting.pk}/chart.pdf").status_code == 200
    assert AuditEntry.objects.filter(subject_id=meeting.pk, action="export", user=manager).count() == 1
