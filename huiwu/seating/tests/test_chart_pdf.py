"""The seating chart as a PDF: the names in their seats' order as the audience sees them, the CJK font embedded
(it prints the same on any office PC), through the meeting's access, a confidential one's export audited."""

import pytest

from huiwu.seating.services import seating_plan_generate
from huiwu.security.models import AuditEntry
from huiwu.testing import ReadPdf, login_as

ORDER = ["韩立", "陈静", "吴晓峰", "周国庆", "李建华", "宋家明", "郑思远"]


def test_it_prints_the_rostrum_as_the_audience_sees_it_with_the_font_embedded(client, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="rostrum")
    login_as(client, team_leader)
    response = client.get(f"/seating/meetings/{meeting.pk}/chart.pdf")
    pdf = ReadPdf(response)
    assert "全市机关事务工作会" in pdf.flat_text
    assert pdf.in_order(ORDER)
    assert "副市长" in pdf.flat_text
    # A subset ("ABCDEF+Noto-Sans-CJK-SC") with its font file in the PDF.
    assert pdf.has_cjk_font(), pdf.embedded_fonts()
    assert "20261127" in response["Content-Disposition"]


def test_it_answers_the_same_pdf_over_the_api(api, attendant, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="table")
    pdf = ReadPdf(api(attendant, "get", f"/meetings/{meeting.pk}/seating.pdf"))
    assert pdf.in_order(["客方", "李建华", "主方", "周国庆"])


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
