"""Who may see and do what of the reception team's day. Every page, API call, export and print goes through
these helpers, one per object type.

Reception attendants do the routines and keep the registers; the team leader and the manager read them (and
hear of what was missed); nobody else sees the leaders' offices, presence or documents — an object the user
may not see is a 404, like one that does not exist. Meetings shown here (tomorrow's, in the end-of-day review)
come through meetings.access like everywhere else.
"""

from django.db.models import QuerySet
from django.http import Http404

from huiwu.accounts.models import User
from huiwu.accounts.roles import RoleRequired
from huiwu.reception.models import (
    CleaningRecord,
    DayPlan,
    JournalEntry,
    LeaderOffice,
    Publication,
    ReviewedDocument,
    RoutineItem,
    Subscription,
    TablewareSet,
)

READ = "reception.view_dayplan"
WORK = "reception.work_reception"
CHANGE_STANDARD = "reception.add_routinestandard"
KEEP_CALENDAR = "reception.add_calendaroverride"


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_read(user: User) -> bool:
    return _active(user) and user.has_perm(READ)


def can_work(user: User) -> bool:
    """Does the routines and keeps the registers (tick an item, write the journal, record a document...)."""
    return can_read(user) and user.has_perm(WORK)


def can_change_standard(user: User) -> bool:
    return can_read(user) and user.has_perm(CHANGE_STANDARD)


def can_keep_calendar(user: User) -> bool:
    return _active(user) and user.has_perm(KEEP_CALENDAR)


def require_reader(user: User) -> None:
    if not can_read(user):
        raise RoleRequired.holding(READ)


def require_worker(user: User) -> None:
    if not can_work(user):
        raise RoleRequired.holding(READ, WORK)


def require_standard_changer(user: User) -> None:
    if not can_change_standard(user):
        raise RoleRequired.holding(READ, CHANGE_STANDARD)


def require_calendar_keeper(user: User) -> None:
    if not can_keep_calendar(user):
        raise RoleRequired.holding(KEEP_CALENDAR)


def _visible(user: User, queryset: QuerySet) -> QuerySet:
    return queryset if can_read(user) else queryset.none()


def _get(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def day_plans_visible_to(user: User) -> QuerySet[DayPlan]:
    return _visible(user, DayPlan.objects.select_related("standard"))


def routine_items_visible_to(user: User) -> QuerySet[RoutineItem]:
    return _visible(user, RoutineItem.objects.select_related("plan", "done_by"))


def get_routine_item_for_user(user: User, item_id: int) -> RoutineItem:
    return _get(routine_items_visible_to(user), item_id)


def get_routine_item_to_do(user: User, item_id: int) -> RoutineItem:
    """An item the user ticks: 404 as get_routine_item_for_user, then 403 for those who only read."""
    item = get_routine_item_for_user(user, item_id)
    require_worker(user)
    return item


def journal_visible_to(user: User) -> QuerySet[JournalEntry]:
    return _visible(user, JournalEntry.objects.select_related("author"))


def offices_visible_to(user: User) -> QuerySet[LeaderOffice]:
    return _visible(user, LeaderOffice.objects.select_related("leader", "presence_set_by"))


def get_office_for_user(user: User, office_id: int) -> LeaderOffice:
    return _get(offices_visible_to(user), office_id)


def get_office_to_work(user: User, office_id: int) -> LeaderOffice:
    """An office whose presence, cleaning or newspapers the user records."""
    office = get_office_for_user(user, office_id)
    require_worker(user)
    return office


def cleanings_visible_to(user: User) -> QuerySet[CleaningRecord]:
    return _visible(user, CleaningRecord.objects.select_related("office__leader", "cleaner"))


def get_cleaning_for_user(user: User, cleaning_id: int) -> CleaningRecord:
    return _get(cleanings_visible_to(user), cleaning_id)


def get_cleaning_to_work(user: User, cleaning_id: int) -> CleaningRecord:
    cleaning = get_cleaning_for_user(user, cleaning_id)
    require_worker(user)
    return cleaning


def documents_visible_to(user: User) -> QuerySet[ReviewedDocument]:
    return _visible(
        user,
        ReviewedDocument.objects.select_related(
            "reviewing_leader", "office__leader", "retrieved_by", "handed_by", "cleaning"
        ),
    )


def get_document_for_user(user: User, document_id: int) -> ReviewedDocument:
    return _get(documents_visible_to(user), document_id)


def get_document_to_hand_over(user: User, document_id: int) -> ReviewedDocument:
    document = get_document_for_user(user, document_id)
    require_worker(user)
    return document


def publications_visible_to(user: User) -> QuerySet[Publication]:
    return _visible(user, Publication.objects.all())


def subscriptions_visible_to(user: User) -> QuerySet[Subscription]:
    return _visible(user, Subscription.objects.select_related("leader", "publication"))


def get_subscription_for_user(user: User, subscription_id: int) -> Subscription:
    return _get(subscriptions_visible_to(user), subscription_id)


def tableware_visible_to(user: User) -> QuerySet[TablewareSet]:
    return _visible(user, TablewareSet.objects.select_related("leader"))


def get_tableware_for_user(user: User, tableware_id: int) -> TablewareSet:
    return _get(tableware_visible_to(user), tableware_id)
