"""The input rules every form keeps, whichever form declares the field (huiwu/lib/forms.py)."""

import importlib
import pkgutil
from datetime import date

import pytest
from django import forms

import huiwu
from huiwu.directory.models import Organization
from huiwu.lib.forms import StyledFormMixin


class _Form(StyledFormMixin, forms.Form):
    name = forms.CharField(required=False)
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False, strip=False)
    day = forms.DateField(required=False)
    moment = forms.DateTimeField(required=False)
    organization = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False)
    organizations = forms.ModelMultipleChoiceField(queryset=Organization.objects.all(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Added after the mixin's __init__, as MeetingForm adds its service items.
        self.fields["late"] = forms.CharField(required=False)


def _errors(**data) -> dict[str, list[str]]:
    form = _Form(data)
    form.is_valid()
    return form.errors


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x80", "\x9f"])
def test_it_refuses_control_characters_in_every_text_field(db, character):
    errors = _errors(name=f"a{character}b", notes=f"a{character}b", late=f"a{character}b")
    assert set(errors) == {"name", "notes", "late"}


@pytest.mark.parametrize(
    "character", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_it_refuses_text_direction_overrides_and_isolates(db, character):
    errors = _errors(name=f"a{character}b", email=f"a{character}@example.cn")
    assert set(errors) == {"name", "email"}
    assert errors["name"] == ["请删除其中的控制字符或文字方向字符，这些字符无法保存。"]


@pytest.mark.parametrize("character", ["\t", "\n", "\r", "\u2029", "\u200f", "\u2065", "\u206a", "\xa0"])
def test_it_accepts_tabs_line_breaks_and_the_characters_next_to_the_refused_ones(db, character):
    assert _errors(notes=f"a{character}b") == {}


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("day", "1899-12-31", False),
        ("day", "1900-01-01", True),
        ("day", "2999-12-31", True),
        ("day", "3000-01-01", False),
        ("day", "0001-01-01", False),
        ("day", "9999-12-31", False),
        ("moment", "1899-12-31 23:59", False),
        ("moment", "1900-01-01 00:00", True),
        ("moment", "2999-12-31 23:59", True),
        ("moment", "3000-01-01 00:00", False),
        ("moment", "0001-01-01 00:00", False),
        ("moment", "9999-12-31 23:59", False),
    ],
)
def test_it_accepts_days_from_1900_to_2999_only(db, field, value, valid):
    errors = _errors(**{field: value})
    assert (errors == {}) is valid, errors
    if not valid:
        assert errors[field] == ["请填写 1900-01-01 至 2999-12-31 之间的日期。"]


@pytest.mark.parametrize("key", [str(2**63), f"-{2**63 + 1}", "99999999999999999999"])
def test_it_refuses_ids_no_database_can_hold_in_single_and_multiple_choices(db, key):
    organization = Organization.objects.create(name="测试委办局")
    errors = _errors(organization=key, organizations=[str(organization.pk), key])
    assert set(errors) == {"organization", "organizations"}
    assert "选择一个有效的选项" in errors["organizations"][0]


def test_it_still_finds_the_rows_chosen(db):
    organization = Organization.objects.create(name="测试委办局")
    form = _Form({"organization": str(organization.pk), "organizations": [str(organization.pk)], "day": "2026-11-27"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization"] == organization
    assert list(form.cleaned_data["organizations"]) == [organization]
    assert form.cleaned_data["day"] == date(2026, 11, 27)


def test_it_keeps_the_rules_once_when_a_form_is_validated_twice(db):
    form = _Form({"name": "会务"})
    form.full_clean()
    form.full_clean()
    assert form.fields["name"].validators.count(form.fields["name"].validators[-1]) == 1
    assert form.is_valid()


def _all_forms() -> set[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(huiwu.__path__, "huiwu."):
        if ".tests" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            module = subclass.__module__
            # The admin's forms are Django's, for the system administrator.
            if module.startswith("huiwu.") and ".tests" not in module and not module.endswith(".admin"):
                found.add(subclass)
    return found


def test_it_has_every_form_of_huiwu_keep_the_rules():
    # The rules live in StyledFormMixin: a form without it would take year 1 or a U+202E in a title again.
    huiwu_forms = _all_forms()
    assert len(huiwu_forms) > 10
    assert [form for form in huiwu_forms if not issubclass(form, StyledFormMixin)] == []
