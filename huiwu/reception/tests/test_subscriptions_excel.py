"""The subscription table to and from Excel: the export is the paper table's layout, the import reads that
layout back and replaces the year's table in one go — or, at the first mistake, lists every mistake with its
row and column in the user's language and changes nothing."""

import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from huiwu.directory.models import Person
from huiwu.reception.exports.newspapers import subscriptions_xlsx_response
from huiwu.reception.models import JournalEntry, Publication, Subscription
from huiwu.reception.selectors.newspapers import subscription_table
from huiwu.reception.services import newspapers as services
from huiwu.reception.services.newspapers import subscriptions_import
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids, unless a test asks for Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _in_2026(db):
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        yield


@pytest.fixture
def papers(db):
    return {name: Publication.objects.create(name=name) for name in ("人民日报", "光明日报", "求是")}


@pytest.fixture
def table(papers, leader, other_leader, principal_office, office):
    for person, name, copies in ((leader, "人民日报", 1), (leader, "求是", 2), (other_leader, "光明日报", 3)):
        Subscription.objects.create(year=2026, leader=person, publication=papers[name], copies=copies)
    return papers


def _cells(year=2026):
    return {
        (cell.leader.name, cell.publication.name): cell.copies
        for cell in Subscription.objects.filter(year=year).select_related("leader", "publication")
    }


def _xlsx(rows, *, name="订阅表.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _exported(year=2026) -> bytes:
    return subscriptions_xlsx_response(subscription_table(year, all_publications=True)).content


def _sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _refusal(user, rows, *, year=2026) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        subscriptions_import(user=user, year=year, upload=_xlsx(rows))
    return refused.value.message_dict["upload"]


# --- export ---------------------------------------------------------------------------------------------


def test_it_exports_the_paper_tables_layout(table):
    assert _sheet_rows(_exported()) == [
        ("Leader", "人民日报", "光明日报", "求是"),
        ("周国庆", 1, None, 2),
        ("吴晓峰", None, 3, None),
        ("Total", 1, 3, 2),
    ]


def test_it_exports_in_the_readers_language(table):
    with translation.override("zh-hans"):
        response = subscriptions_xlsx_response(subscription_table(2026, all_publications=True))
    rows = _sheet_rows(response.content)
    assert (rows[0][0], rows[-1][0]) == ("领导", "合计")
    assert "2026" in response["Content-Disposition"]


# --- the round trip -------------------------------------------------------------------------------------


def test_it_round_trips_the_table_through_excel(table, reception):
    before = _cells()
    upload = SimpleUploadedFile("table.xlsx", _exported())
    Subscription.objects.all().delete()
    result = subscriptions_import(user=reception, year=2026, upload=upload)
    assert _cells() == before
    assert (result.leaders, result.publications, result.copies, result.new_publications) == (2, 3, 6, [])
    assert _sheet_rows(_exported()) == _sheet_rows(upload.file.getvalue())


def test_it_round_trips_a_chinese_export_into_an_english_session(table, reception):
    with translation.override("zh-hans"):
        content = _exported()
    before = _cells()
    subscriptions_import(user=reception, year=2026, upload=SimpleUploadedFile("t.xlsx", content))
    assert _cells() == before


def test_it_replaces_the_years_table_creates_new_publications_and_leaves_other_years(table, reception, leader):
    Subscription.objects.create(year=2025, leader=leader, publication=table["人民日报"], copies=9)
    result = subscriptions_import(
        user=reception,
        year=2026,
        upload=_xlsx([["领导", "人民日报", "参考消息 "], ["周国庆", 2, "1"], [" 吴晓峰 ", None, 3.0]]),
    )
    assert _cells() == {("周国庆", "人民日报"): 2, ("周国庆", "参考消息"): 1, ("吴晓峰", "参考消息"): 3}
    assert _cells(2025) == {("周国庆", "人民日报"): 9}
    assert result.new_publications == ["参考消息"]
    entry = JournalEntry.objects.get(source=JournalEntry.Source.NEWSPAPER)
    assert "2 leaders, 2 publications, 6 copies" in entry.text


def test_it_brings_back_an_inactive_publication_the_file_uses(table, reception):
    table["求是"].is_active = False
    table["求是"].save()
    subscriptions_import(user=reception, year=2026, upload=_xlsx([["", "求是"], ["周国庆", 1]]))
    table["求是"].refresh_from_db()
    assert table["求是"].is_active
    assert _cells() == {("周国庆", "求是"): 1}


def test_it_skips_empty_rows_and_the_totals_row(table, reception):
    rows = [["领导", "人民日报"], [None, None], ["周国庆", 1], ["", "  "], ["合计", 1], ["Total", 1]]
    subscriptions_import(user=reception, year=2026, upload=_xlsx(rows))
    assert _cells() == {("周国庆", "人民日报"): 1}


def test_it_matches_the_active_leader_when_a_namesake_has_left(table, reception):
    Person.objects.create(name="周国庆", title="原局长", kind=Person.Kind.LEADER, is_active=False)
    subscriptions_import(user=reception, year=2026, upload=_xlsx([["", "人民日报"], ["周国庆", 1]]))
    assert Subscription.objects.get().leader.title == "局长"


# --- refusals: every mistake listed, nothing changed ----------------------------------------------------


def test_it_lists_every_bad_cell_with_its_row_and_publication_in_chinese(table, reception):
    before = _cells()
    rows = [["领导", "人民日报", "光明日报"], ["周国庆", 0, "两份"], ["吴晓峰", 100, 1.5], ["周国庆", True, 1]]
    with translation.override("zh-hans"):
        messages = _refusal(reception, rows)
    assert messages == [
        "第2行 人民日报：“0”不是份数：请填写 1 到 99 的整数，或留空。",
        "第2行 光明日报：“两份”不是份数：请填写 1 到 99 的整数，或留空。",
        "第3行 人民日报：“100”不是份数：请填写 1 到 99 的整数，或留空。",
        "第3行 光明日报：“1.5”不是份数：请填写 1 到 99 的整数，或留空。",
        "第4行：周国庆已在第2行出现。",
        "第4行 人民日报：“True”不是份数：请填写 1 到 99 的整数，或留空。",
    ]
    assert _cells() == before
    assert not JournalEntry.objects.exists()


def test_it_refuses_unknown_and_ambiguous_leaders_and_a_row_without_a_name(table, reception):
    Person.objects.create(name="吴晓峰", title="总经理", kind=Person.Kind.LEADER)
    Person.objects.create(name="来宾甲", title="处长", kind=Person.Kind.GUEST)
    messages = _refusal(reception, [["", "人民日报"], ["张三", 1], ["吴晓峰", 1], ["来宾甲", 1], [None, 2]])
    assert messages == [
        "Row 2: No leader named 张三 in the directory.",
        "Row 3: 2 leaders are named 吴晓峰 in the directory; tell them apart there first.",
        "Row 4: No leader named 来宾甲 in the directory.",
        "Row 5: The first column must name the leader.",
    ]
    assert Subscription.objects.count() == 3


def test_it_refuses_a_number_under_no_heading_and_a_heading_twice(table, reception):
    messages = _refusal(reception, [["", "人民日报", None, "人民日报"], ["周国庆", 1, 2]])
    assert messages == [
        "Row 1, D: 人民日报 is also the title of column B.",
        "Row 2, column C: The column has no publication name in row 1.",
    ]


def test_it_refuses_a_heading_too_long_or_with_control_characters(table, reception):
    messages = _refusal(reception, [["", "报" * 101, "人民\u202e日报"], ["周国庆", 1, 1]])
    assert messages[0].startswith("Row 1, B: At most 100 characters")
    assert messages[1].startswith("Row 1, C: Remove the control")
    assert not Publication.objects.filter(name__startswith="报报").exists()


def test_it_refuses_a_sheet_without_publications_or_empty(table, reception):
    assert _refusal(reception, [["领导"], ["周国庆"]]) == [
        "The first row names no publication: put their names from the second column on."
    ]
    assert _refusal(reception, [])[0].startswith("The sheet is empty")


def test_it_refuses_a_file_that_is_not_an_xlsx(table, reception):
    for content in (b"%PDF-1.4 not a workbook", b"", _zip({"hello.txt": b"hi"})):
        with pytest.raises(ValidationError) as refused:
            subscriptions_import(user=reception, year=2026, upload=SimpleUploadedFile("t.xlsx", content))
        assert "not an Excel workbook" in refused.value.message_dict["upload"][0]
    assert Subscription.objects.count() == 3


def test_it_refuses_a_file_larger_than_the_cap(table, reception, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_MAX_BYTES", 1024)
    big = _xlsx([["", "人民日报"], *[["周国庆", 1]] * 200, ["填充" * 500]])
    assert big.size > 1024
    with pytest.raises(ValidationError) as refused:
        subscriptions_import(user=reception, year=2026, upload=big)
    assert "cannot be larger than" in refused.value.message_dict["upload"][0]


def test_it_refuses_a_workbook_that_unzips_into_too_much(table, reception):
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (services.IMPORT_MAX_UNZIPPED_BYTES + 1)})
    assert len(bomb) < services.IMPORT_MAX_BYTES
    with pytest.raises(ValidationError) as refused:
        subscriptions_import(user=reception, year=2026, upload=SimpleUploadedFile("bomb.xlsx", bomb))
    assert "too much" in refused.value.message_dict["upload"][0]


def test_it_refuses_a_sheet_of_too_many_rows(table, reception, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_MAX_ROWS_READ", 50)
    messages = _refusal(reception, [["", "人民日报"], *[["周国庆", 1]] * 60])
    assert messages == ["The sheet has more than 50 rows; a subscription table has one per leader."]


def test_it_lists_a_readable_number_of_mistakes_and_counts_the_rest(table, reception, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_MAX_ERRORS_LISTED", 5)
    messages = _refusal(reception, [["", "人民日报"], *[[f"无名{number}", 1] for number in range(8)]])
    assert messages[:5] == [f"Row {row}: No leader named 无名{row - 2} in the directory." for row in range(2, 7)]
    assert messages[5:] == ["…and 3 more mistakes."]


def test_it_refuses_an_import_without_a_file_or_for_a_past_year(table, reception):
    with pytest.raises(ValidationError) as refused:
        subscriptions_import(user=reception, year=2026, upload=None)
    assert "Choose the Excel file" in refused.value.message_dict["upload"][0]
    with pytest.raises(ValidationError) as refused:
        subscriptions_import(user=reception, year=2025, upload=_xlsx([["", "人民日报"], ["周国庆", 1]]))
    assert "year" in refused.value.message_dict


def test_it_lets_only_reception_import(table, team_leader):
    with pytest.raises(PermissionDenied):
        subscriptions_import(user=team_leader, year=2026, upload=_xlsx([["", "人民日报"], ["周国庆", 1]]))
    assert Subscription.objects.count() == 3
