"""The survey's pages: the results (staff), a meeting's survey (staff: its invitations; a client: their own, to
answer), and the link a contact opens on a phone without signing in."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Meeting
from huiwu.surveys.access import (
    REFUSALS,
    LinkRefused,
    Refusal,
    answers_visible_to,
    get_invitation_for_token,
    get_invitation_to_answer,
    get_invitation_to_renew,
    get_meeting_survey_for_user,
    require_results_reader,
)
from huiwu.surveys.forms import ResultsFilterForm, SurveyAnswerForm
from huiwu.surveys.selectors import (
    ANSWERABLE,
    ASPECTS,
    answers_filtered,
    aspect_label,
    is_low,
    last_months,
    meeting_survey_for,
    satisfaction_by_month,
    score_rows,
)
from huiwu.surveys.services import survey_answer, survey_link_renew

LOW_SCORE_PROMISE = gettext_noop(
    "We are sorry that part of the service fell short: the service hotline will call you to hear what happened."
)
# The results page: the rate of this many months, and this many answers a page.
RESULT_MONTHS = 12
ANSWERS_PER_PAGE = 50


@login_required
def results(request: HttpRequest) -> HttpResponse:
    require_results_reader(request.user)
    form = ResultsFilterForm(request.GET or None)
    month, low = form.filters()
    first, today = last_months(timezone.localdate(), RESULT_MONTHS)
    figures = satisfaction_by_month(date_from=first, date_to=today)
    # The months before the first answer of the span say nothing (a new installation): left out, this one kept.
    shown = figures[next((index for index, figure in enumerate(figures) if figure.answers), len(figures) - 1) :]
    answers = answers_filtered(answers_visible_to(request.user), month=month, low=low)
    page = Paginator(answers, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    for answer in page:
        answer.scores = score_rows(answer)
        answer.is_low = is_low(answer)
    query = {**({"month": f"{month:%Y-%m}"} if month else {}), **({"low": "1"} if low else {})}
    context = {
        "figures": list(reversed(shown)),
        "this_month": figures[-1],
        "page": page,
        "month": month,
        "low": low,
        "query": urlencode(query),
        "aspects": [(aspect, aspect_label(aspect)) for aspect in ASPECTS],
        "months": [figure.month for figure in reversed(figures)],
    }
    return render(request, "surveys/results.html", context)


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form: SurveyAnswerForm | None = None,
    new_link: tuple[int, str] | None = None,
) -> HttpResponse:
    survey = meeting_survey_for(request.user, meeting)
    own = survey.own
    if own is not None and form is None and own.state in ANSWERABLE:
        form = SurveyAnswerForm()
    context = {
        "meeting": meeting,
        "survey": survey,
        "form": form,
        "new_link": new_link,
        "link_days": settings.SURVEY_LINK_DAYS,
    }
    return render(request, "surveys/meeting_survey.html", context)


@login_required
def meeting_survey(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, get_meeting_survey_for_user(request.user, meeting_id))


def _refusal_of(error: ValidationError) -> str | None:
    """The refusal code of a service's whole-invitation error (answered, expired, cancelled), else None."""
    return None if hasattr(error, "error_dict") else error.code


@login_required
@require_POST
def meeting_survey_answer(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A signed-in client rates a meeting of their own from its survey page: the same service as the link."""
    invitation = get_invitation_to_answer(request.user, meeting_id)
    form = SurveyAnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = survey_answer(invitation=invitation, **form.to_kwargs())
        except ValidationError as error:
            if _refusal_of(error):
                messages.error(request, " ".join(error.messages))
                return redirect("surveys:meeting", meeting_id)
            form.add_service_errors(error)
        else:
            messages.success(request, _("Thank you for your rating!"))
            if is_low(answer):
                messages.info(request, _(LOW_SCORE_PROMISE))
            return redirect("surveys:meeting", meeting_id)
    return _meeting_page(request, invitation.meeting, form=form)


@login_required
@require_POST
def invitation_renew(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Staff send a new link by hand; the page shows it once, to copy (only its digest is kept)."""
    invitation = get_invitation_to_renew(request.user, invitation_id)
    try:
        link = survey_link_renew(user=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:meeting", invitation.meeting_id)
    meeting = get_meeting_survey_for_user(request.user, invitation.meeting_id)
    return _meeting_page(request, meeting, new_link=(invitation.pk, link))


# --- the link -----------------------------------------------------------------------------------------


def _link_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page whose address is a credential: never cached, never indexed. (Its Referer stays same-origin, as on
    every page: "no-referrer" would make browsers send "Origin: null" with the form, which the CSRF check
    refuses.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)


def _refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    return render(request, "surveys/refused.html", {"refusal": refusal}, status=refusal.status)


@_link_page
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, survey_token: str) -> HttpResponse:
    """The survey link: the meeting (title, date, room) and the form, for whoever holds the link, signed in or
    not (the form still carries its CSRF token). A confidential meeting reads "保密会议" with its time and room
    unless the holder is signed in as someone who may see it: a link is easily forwarded."""
    try:
        invitation = get_invitation_for_token(survey_token)
    except LinkRefused as refused:
        return _refused(request, refused.refusal)
    form = SurveyAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = survey_answer(invitation=invitation, **form.to_kwargs())
        except ValidationError as error:
            if not _refusal_of(error):
                form.add_service_errors(error)
            else:
                # Answered (another tab, a double submit), expired or called off meanwhile.
                return _refused(request, REFUSALS[error.code])
        else:
            return render(request, "surveys/thanks.html", {"low": is_low(answer)})
    # A form with errors comes back as 200, like every form of Huiwu: a 4xx would be logged with the address,
    # and this address is a credential still valid.
    meeting = invitation.meeting
    title_hidden = meeting.is_confidential and not (
        request.user.is_authenticated and meetings_visible_to(request.user).filter(pk=meeting.pk).exists()
    )
    context = {"invitation": invitation, "meeting": meeting, "form": form, "title_hidden": title_hidden}
    return render(request, "surveys/answer.html", context)
