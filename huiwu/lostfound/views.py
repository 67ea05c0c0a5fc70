from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.lib.params import int_param
from huiwu.lostfound.access import (
    can_register,
    can_return,
    get_lost_item_for_user,
    get_lost_item_to_return,
    lost_items_visible_to,
    require_lost_item_reader,
    require_lost_item_registrar,
)
from huiwu.lostfound.exports import lost_items_export
from huiwu.lostfound.forms import LostItemFilterForm, LostItemForm, ReturnForm
from huiwu.lostfound.models import LostItem
from huiwu.lostfound.selectors import State, lost_items_filtered
from huiwu.lostfound.services import already_returned_message, lost_item_register, lost_item_return
from huiwu.meetings.access import get_meeting_for_user
from huiwu.meetings.models import Meeting


@login_required
def lost_item_list(request: HttpRequest) -> HttpResponse:
    require_lost_item_reader(request.user)
    form = LostItemFilterForm(request.GET or None)
    state, q = form.filters()
    if request.GET.get("export") == "xlsx":
        return lost_items_export(request.user, state=state, q=q)
    items = lost_items_filtered(lost_items_visible_to(request.user), state=state, q=q)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    query = {"state": state, **({"q": q} if q else {})}
    context = {
        "form": form,
        "page": page,
        "state": state,
        "q": q,
        "query": urlencode(query),
        "states": [(value, label, urlencode({**query, "state": value})) for value, label in State.choices],
        "can_register": can_register(request.user),
    }
    return render(request, "lostfound/lost_item_list.html", context)


def _meeting_from_query(request: HttpRequest) -> Meeting | None:
    """`?meeting=<id>` opens the form for that meeting; one the user may not see answers 404."""
    meeting_id = int_param(request.GET.get("meeting"))
    return None if meeting_id is None else get_meeting_for_user(request.user, meeting_id)


@login_required
def lost_item_new(request: HttpRequest) -> HttpResponse:
    require_lost_item_registrar(request.user)
    meeting = _meeting_from_query(request)
    form = LostItemForm(request.POST if request.method == "POST" else None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            item = lost_item_register(user=request.user, **form.to_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The item was registered."))
            return redirect("lostfound:detail", item.pk)
    return render(request, "lostfound/lost_item_form.html", {"form": form, "meeting": meeting})


def _detail(request: HttpRequest, item: LostItem, return_form: ReturnForm | None = None) -> HttpResponse:
    if return_form is None and item.is_open and can_return(request.user):
        return_form = ReturnForm(user=request.user)
    context = {"item": item, "return_form": return_form if item.is_open else None}
    return render(request, "lostfound/lost_item_detail.html", context)


@login_required
def lost_item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    return _detail(request, get_lost_item_for_user(request.user, item_id))


@login_required
@require_POST
def lost_item_return_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_lost_item_to_return(request.user, item_id)
    if not item.is_open:
        messages.error(request, already_returned_message(item))
        return redirect("lostfound:detail", item.pk)
    form = ReturnForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            lost_item_return(user=request.user, item=item, **form.to_kwargs())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Returned by someone else meanwhile: the page shows by whom.
                messages.error(request, " ".join(error.messages))
                return redirect("lostfound:detail", item.pk)
            form.add_service_errors(error)
        else:
            messages.success(request, _("The return was recorded."))
            return redirect("lostfound:detail", item.pk)
    return _detail(request, item, form)
