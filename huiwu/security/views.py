from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.accounts.models import User
from huiwu.security import services
from huiwu.security.access import (
    can_manage_clearances,
    can_view_audit,
    get_authorization_to_manage,
    get_staff_for_user,
    get_staff_to_manage,
    require_audit_reader,
    require_staff_reader,
    staff_visible_to,
)
from huiwu.security.exports import audit_export
from huiwu.security.forms import (
    AgreementForm,
    AuditFilterForm,
    AuthorizationForm,
    BackgroundCheckForm,
    StaffFilterForm,
    StaffProfileForm,
    TrainingRecordForm,
)
from huiwu.security.selectors import (
    audit_entries,
    audit_entries_filtered,
    eligibility_now,
    notice_days,
    profile_of,
    staff_records,
    staff_summaries,
    staff_summary,
    staff_with_records,
    subject_type_label,
)

PAGE_SIZE = 50


# --- the staff list -----------------------------------------------------------------------------------


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    require_staff_reader(request.user)
    form = StaffFilterForm(request.GET or None)
    role, attention = form.filters()
    summaries = staff_summaries(staff_visible_to(request.user), role=role, attention=attention)
    page = Paginator(summaries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"role": role, "attention": "on" if attention else ""}
    context = {
        "form": form,
        "page": page,
        "query": urlencode({name: value for name, value in query.items() if value}),
        "filtered": bool(role or attention),
        "notice_days": notice_days(),
        "can_view_audit": can_view_audit(request.user),
    }
    return render(request, "security/staff_list.html", context)


# --- one person ---------------------------------------------------------------------------------------

_FORMS = {
    "profile_form": StaffProfileForm,
    "training_form": TrainingRecordForm,
    "certificate_form": BackgroundCheckForm,
    "agreement_form": AgreementForm,
    "authorization_form": AuthorizationForm,
}


def _profile_page(request: HttpRequest, staff: User, bound: dict | None = None, opened: str = "") -> HttpResponse:
    staff = staff_with_records(User.objects.filter(pk=staff.pk)).get()
    profile = profile_of(staff)
    can_manage = can_manage_clearances(request.user)
    forms = dict(bound or {})
    if can_manage:
        for name, form_class in _FORMS.items():
            if name not in forms:
                forms[name] = form_class(profile=profile) if form_class is StaffProfileForm else form_class()
    context = {
        "staff": staff,
        "profile": profile,
        "summary": staff_summary(staff, timezone.localdate()),
        "records": staff_records(staff),
        "eligibility": eligibility_now(staff),
        "can_manage": can_manage,
        "can_view_audit": can_view_audit(request.user),
        "audit_query": urlencode({"subject_type": "staff", "subject_id": staff.pk}),
        f"{opened or 'none'}_open": True,
        **forms,
    }
    return render(request, "security/staff_profile.html", context)


@login_required
def staff_profile(request: HttpRequest, user_id: int) -> HttpResponse:
    return _profile_page(request, get_staff_for_user(request.user, user_id))


def _write(
    request: HttpRequest,
    user_id: int,
    *,
    form_name: str,
    section: str,
    service: Callable,
    done: str,
) -> HttpResponse:
    """A form of the person's page: valid input goes to the service, then back to the page (its section);
    what the form or the service refuses shows on the page, the form open, and nothing is saved."""
    staff = get_staff_to_manage(request.user, user_id)
    form_class = _FORMS[form_name]
    if form_class is StaffProfileForm:
        form = form_class(request.POST, profile=profile_of(staff))
    else:
        form = form_class(request.POST)
    if form.is_valid():
        try:
            service(user=request.user, staff=staff, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect(reverse("security:profile", args=[staff.pk]) + f"#{section}")
    messages.error(request, _("Nothing was saved: please correct the form below."))
    return _profile_page(request, staff, {form_name: form}, opened=section)


@login_required
@require_POST
def staff_profile_update_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _write(
        request,
        user_id,
        form_name="profile_form",
        section="profile",
        service=services.staff_profile_update,
        done=_("The profile was saved."),
    )


@login_required
@require_POST
def training_record_add_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _write(
        request,
        user_id,
        form_name="training_form",
        section="training",
        service=services.training_record_add,
        done=_("The training record was added."),
    )


@login_required
@require_POST
def background_check_add_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _write(
        request,
        user_id,
        form_name="certificate_form",
        section="certificates",
        service=services.background_check_add,
        done=_("The certificate was recorded."),
    )


@login_required
@require_POST
def agreement_add_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _write(
        request,
        user_id,
        form_name="agreement_form",
        section="agreements",
        service=services.agreement_add,
        done=_("The agreement was recorded."),
    )


@login_required
@require_POST
def authorization_grant_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _write(
        request,
        user_id,
        form_name="authorization_form",
        section="authorizations",
        service=services.authorization_grant,
        done=_("The authorization was granted."),
    )


@login_required
@require_POST
def authorization_revoke_view(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = get_authorization_to_manage(request.user, authorization_id)
    try:
        services.authorization_revoke(user=request.user, authorization=authorization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The authorization was revoked."))
    return redirect(reverse("security:profile", args=[authorization.user_id]) + "#authorizations")


# --- the audit log ------------------------------------------------------------------------------------


def _export(request: HttpRequest, form: AuditFilterForm, filters) -> HttpResponse | None:
    """The download, or None with a message on the page when the filters are wrong or match too much."""
    if form.is_bound and form.errors:
        messages.error(request, _("Nothing was exported: please correct the filters."))
        return None
    try:
        return audit_export(user=request.user, filters=filters)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    entries = audit_entries_filtered(audit_entries(), filters)
    if request.GET.get("export") == "xlsx":
        response = _export(request, form, filters)
        if response is not None:
            return response
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.subject_label = subject_type_label(entry.subject_type)
    query = request.GET.copy()
    for name in ("page", "export"):
        query.pop(name, None)
    subject_filter = ""
    if filters.subject_id is not None:
        subject_filter = f"{subject_type_label(filters.subject_type)} #{filters.subject_id}".strip()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "subject_filter": subject_filter,
        "without_subject": urlencode([(k, v) for k, values in query.lists() for v in values if k != "subject_id"]),
        "filtered": any(
            (
                filters.user_id,
                filters.action,
                filters.subject_type,
                filters.subject_id,
                filters.date_from,
                filters.date_to,
                filters.q,
            )
        ),
    }
    return render(request, "security/audit_log.html", context)
