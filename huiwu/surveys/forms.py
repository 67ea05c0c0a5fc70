from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from huiwu.lib.forms import StyledFormMixin, text_area
from huiwu.surveys.models import SurveyAnswer
from huiwu.surveys.selectors import aspect_label
from huiwu.surveys.services import COMMENT_MAX_LENGTH

SCORES = [(score, str(score)) for score in range(1, 6)]
SCORE_REQUIRED = _("Choose a score from 1 to 5.")


class SurveyAnswerForm(StyledFormMixin, forms.Form):
    """The five scores and the comment; the rules live in services.survey_answer. Nothing is pre-selected: an
    answer is never a default. The template draws each score as a row of five pills (see _score_row.html)."""

    venue = forms.TypedChoiceField(coerce=int, choices=SCORES, widget=forms.RadioSelect)
    tea = forms.TypedChoiceField(coerce=int, choices=SCORES, widget=forms.RadioSelect)
    equipment = forms.TypedChoiceField(coerce=int, choices=SCORES, widget=forms.RadioSelect)
    attitude = forms.TypedChoiceField(coerce=int, choices=SCORES, widget=forms.RadioSelect)
    overall = forms.TypedChoiceField(coerce=int, choices=SCORES, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=text_area(rows=3),
        help_text=_("Optional: what went well, what we should do better."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for aspect in SurveyAnswer.ASPECTS:
            field = self.fields[aspect]
            field.label = aspect_label(aspect)
            field.error_messages = {"required": SCORE_REQUIRED, "invalid_choice": SCORE_REQUIRED}

    def score_fields(self) -> list[forms.BoundField]:
        return [self[aspect] for aspect in SurveyAnswer.ASPECTS]

    def to_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*SurveyAnswer.ASPECTS, "comment")}


class ResultsFilterForm(StyledFormMixin, forms.Form):
    """The results page's filters: a month (YYYY-MM) and low scores only. A value that is not valid reads as
    no filter."""

    month = forms.DateField(input_formats=["%Y-%m"], required=False)
    low = forms.BooleanField(required=False)

    def filters(self) -> tuple[date | None, bool]:
        if not self.is_bound:
            return None, False
        self.is_valid()
        return self.cleaned_data.get("month"), self.cleaned_data.get("low", False)
