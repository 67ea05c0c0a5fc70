"""Chinese as a Chinese reader expects it: full-width punctuation, and one name for each role and thing.

The catalogue is checked as compiled (what the pages show), so the rules hold for every string added later;
the pages are checked for punctuation that templates and code put around translated text."""

import gettext
import re
from datetime import date

import pytest
from django.utils import translation

import huiwu
from huiwu.security.services import staff_profile_update
from huiwu.testing import login_as

COMPILED = huiwu.__path__[0] + "/locale/zh_Hans/LC_MESSAGES/django.mo"
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
# What a Chinese reader trips on: ASCII brackets around or against Chinese, an ASCII colon, semicolon,
# question or exclamation mark after Chinese, an ASCII comma between two Chinese characters.
HALF_WIDTH = re.compile(rf"{CJK} ?[()]|[()] ?{CJK}|\([^()]*{CJK}[^()]*\)|{CJK} ?[:;?!]|{CJK},{CJK}")
# One name each: the role is 服务中心经理 (never 项目经理; the client's 总经理办公室 is the seed's own name),
# the papers are 人员资质 (never 员工资质), the team leader is 会务服务组长 and the attendant 会务服务员.
WRONG_NAMES = re.compile(r"(?<!服务中心)(?<!总)经理|员工资质|会务班长|(?<!会务服务)组长|会务员")


def _translations() -> dict[str, str]:
    with open(COMPILED, "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    return {str(msgid): text for msgid, text in catalogue.items() if msgid}


def _half_width(text: str) -> list[str]:
    return HALF_WIDTH.findall(PLACEHOLDER.sub("X", text))


def test_it_uses_full_width_punctuation_in_chinese_translations():
    offending = {msgid: text for msgid, text in _translations().items() if _half_width(text)}
    assert offending == {}


def test_it_names_the_manager_and_the_qualifications_one_way():
    offending = {msgid: text for msgid, text in _translations().items() if WRONG_NAMES.search(text)}
    assert offending == {}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("保密等级: 普通", True),
        ("茶水 (龙井)", True),
        ("（%(role)s）", False),
        ("%(room)s（%(capacity)d 人）", False),
        ("请求头为 Authorization: Bearer", False),
        ("格式为 [起, 止]（分钟）", False),
        ("发给项目经理", None),
        ("提醒服务中心经理", False),
        ("交总经理办公室主管文件的工作人员", False),
    ],
)
def test_it_recognises_what_it_forbids(text, found):
    # The two rules above pass only if they would catch a slip: this keeps their patterns honest.
    if found is None:
        assert WRONG_NAMES.search(text)
    else:
        assert bool(_half_width(text)) is found
        assert found or not WRONG_NAMES.search(text)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_it_puts_full_width_punctuation_around_translated_labels_in_pages(
    client, security_officer, attendant, frozen_now
):
    staff_profile_update(
        user=security_officer,
        staff=attendant,
        clearance_level=1,
        hire_date=date(2024, 5, 6),
        guarantor_name="王建国",
        guarantor_relation="父亲",
    )
    login_as(client, security_officer)
    with translation.override("zh-hans"):
        pages = {
            path: _visible_text(client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
            for path in ("/security/staff/", f"/security/staff/{attendant.pk}/", "/security/audit/")
        }
    assert "保密资格：" in pages["/security/staff/"]
    assert "王建国（父亲）" in pages[f"/security/staff/{attendant.pk}/"]
    assert "；入职日期：" in pages["/security/audit/"]
    offending = {path: found for path, text in pages.items() if (found := _half_width(text))}
    assert offending == {}
