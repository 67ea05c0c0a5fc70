import pytest

from huiwu.directory.models import Person, pinyin_keys
from huiwu.directory.selectors import people_search


def _names(q: str) -> list[str]:
    return [person.name for person in people_search(Person.objects.all(), q)]


def test_it_derives_full_pinyin_and_initials_from_a_chinese_name():
    assert pinyin_keys("张建国") == ("zhangjianguo", "zjg")
    assert pinyin_keys("欧阳 晓") == ("ouyangxiao", "oyx")


def test_it_keeps_the_pinyin_keys_in_step_with_the_name(mayor):
    assert (mayor.name_pinyin, mayor.name_initials) == ("zhangjianguo", "zjg")
    mayor.name = "李明华"
    mayor.save(update_fields=["name"])
    mayor.refresh_from_db()
    assert (mayor.name_pinyin, mayor.name_initials) == ("liminghua", "lmh")


@pytest.mark.parametrize(
    "q", ["张", "张建国", "zhang", "ZHANG", "jianguo", "Zhang Jianguo", "zhangjianguo", "ZJG", "zjg", "zj"]
)
def test_it_finds_a_person_by_name_pinyin_or_initials(mayor, finance_director, q):
    assert _names(q) == ["张建国"]


def test_it_matches_initials_only_from_the_start(mayor):
    # "jg" is inside "zjg" but starts neither the initials nor any run of the full pinyin.
    assert _names("jg") == []


def test_it_finds_people_by_title_and_by_organization(mayor, finance_director):
    assert _names("局长") == ["孙海涛"]
    assert _names("财政") == ["孙海涛"]
    assert _names("办公厅") == ["张建国"]


def test_it_returns_everybody_most_senior_first_for_an_empty_query(mayor, finance_director):
    Person.objects.create(name="王志强", title="副市长", precedence=3)
    Person.objects.create(name="李明华", title="常务副市长", precedence=3)
    assert _names("") == ["张建国", "李明华", "王志强", "孙海涛"]
    assert _names("   ") == _names("")


def test_it_treats_like_wildcards_as_plain_characters(mayor):
    assert _names("%") == []
    assert _names("_") == []
