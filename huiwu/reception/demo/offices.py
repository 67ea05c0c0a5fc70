"""The presence board, the cleanings and the reviewed-documents register on the demo's clock: today 吴晓峰 is on a
business trip and 宋家明 out (so their offices are to be cleaned from 16:30), 周国庆 and 韩立 in, 郑思远 not set yet.
On the last working day 宋家明's office was cleaned and a reviewed document taken back from it: it is due by
09:30 today (waiting before then, handed over at 09:20 after), and an older one was handed over with the
clerk's signature in the paper book.

Today's presence goes through the service. What happened on earlier days is written as it happened (the
services record the present moment), with its journal lines at their times and the waiting document's
deadline in step."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.reception.deadlines.documents import document_deadline_sync, document_url
from huiwu.reception.models import CleaningRecord, JournalEntry, LeaderOffice, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.offices import DocumentsAnswer, Inspection, SupplyAnswer, cleaning_sequence
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.offices import cleaning_url, office_presence_set
from huiwu.reception.services.routine import routine_item_complete
from huiwu.reception.services.standard import routine_standard_current
from huiwu.reception.workdays import at_local, document_due_at, is_workday

# (leader, presence, note) set on the board today; 郑思远 is left for the attendant to set.
PRESENCE_TODAY = [
    ("吴晓峰", LeaderOffice.Presence.AWAY, "赴省厅开会，周五返回"),
    ("宋家明", LeaderOffice.Presence.OUT, "下午外出调研"),
    ("周国庆", LeaderOffice.Presence.IN, ""),
    ("韩立", LeaderOffice.Presence.IN, ""),
]
CLERK = "李文静"
# (title, document number): the one taken back on the last working day, and the older one handed over.
RECENT_DOCUMENT = ("关于2026年度机关办公用房维修计划的请示", "机管发〔2026〕45号")
OLDER_DOCUMENT = ("关于做好年末安全生产检查工作的通知", "京机管〔2026〕112号")


def _working_day_before(day: date, *, count: int = 1) -> date:
    """The `count`-th working day before `day`."""
    for _step in range(count):
        day -= timedelta(days=1)
        while not is_workday(day):
            day -= timedelta(days=1)
    return day


def _at(day: date, clock: str) -> datetime:
    return at_local(day, time.fromisoformat(clock))


def _office(name: str) -> LeaderOffice:
    return LeaderOffice.objects.select_related("leader").get(leader__name=name, leader__kind=Person.Kind.LEADER)


def _presence_today(reception: User) -> None:
    today = timezone.localdate()
    for name, presence, note in PRESENCE_TODAY:
        office = _office(name)
        if office.presence_set_at is None or timezone.localtime(office.presence_set_at).date() != today:
            office_presence_set(user=reception, office=office, presence=presence, note=note)


def _cleaning_done(reception: User, office: LeaderOffice, day: date) -> CleaningRecord:
    """A whole cleaning of `office` on `day`, from 16:40, a step every four minutes, the door locked at the end."""
    knocked = _at(day, "16:40")
    steps = [
        [step.value, (knocked + timedelta(minutes=4 * (index + 1))).isoformat()]
        for index, step in enumerate(cleaning_sequence(office))
    ]
    locked = knocked + timedelta(minutes=4 * (len(steps) + 2))
    cleaning = CleaningRecord.objects.create(
        office=office,
        day=day,
        cleaner=reception,
        started_at=knocked,
        knocked_at=knocked,
        steps=steps,
        inspections={
            Inspection.DOCUMENTS.value: DocumentsAnswer.TAKEN.value,
            Inspection.TISSUES.value: SupplyAnswer.RESTOCKED.value,
            Inspection.BOTTLED_WATER.value: SupplyAnswer.ENOUGH.value,
            Inspection.WATER_DISPENSER.value: SupplyAnswer.RESTOCKED.value,
        },
        locked_at=locked,
    )
    url = cleaning_url(cleaning)
    for text, at in (
        (f"清洁 {office.room} {office.leader.name}：已按规定敲门，无人应答", knocked),
        (f"清洁 {office.room} {office.leader.name}：已锁好房门", locked),
    ):
        journal_write(author=reception, source=JournalEntry.Source.CLEANING, text=text, at=at, url=url)
    return cleaning


def _document(
    reception: User,
    *,
    title: str,
    number: str,
    office: LeaderOffice,
    retrieved_at: datetime,
    cleaning: CleaningRecord | None = None,
) -> ReviewedDocument:
    standard = routine_standard_current()
    document = ReviewedDocument.objects.create(
        title=title,
        document_number=number,
        reviewing_leader=office.leader,
        office=office,
        retrieved_at=retrieved_at,
        retrieved_by=reception,
        cleaning=cleaning,
        due_at=document_due_at(retrieved_at, standard.documents_by),
        created_at=retrieved_at,
    )
    journal_write(
        author=reception,
        source=JournalEntry.Source.DOCUMENT,
        text=f"取回批阅件：{number} {title}（{office.leader.name}批阅），{office.room}",
        at=retrieved_at,
        url=document_url(document),
    )
    return document


def _hand_over(reception: User, document: ReviewedDocument, at: datetime) -> None:
    document.handed_to = CLERK
    document.handed_at = at
    document.handed_by = reception
    document.clerk_confirmation = ReviewedDocument.Confirmation.SIGNED_BOOK
    document.save(update_fields=["handed_to", "handed_at", "handed_by", "clerk_confirmation"])
    journal_write(
        author=reception,
        source=JournalEntry.Source.DOCUMENT,
        text=f"批阅件已交{CLERK}（已在纸质交接簿签收）：{document.document_number} {document.title}",
        at=at,
        url=document_url(document),
    )


def demo_load() -> None:
    reception = User.objects.get(username="reception")
    _presence_today(reception)
    if ReviewedDocument.objects.filter(document_number=RECENT_DOCUMENT[1]).exists():
        return
    today = timezone.localdate()
    last_workday = _working_day_before(today)
    song = _office("宋家明")
    cleaning = CleaningRecord.objects.filter(office=song, day=last_workday).first() or _cleaning_done(
        reception, song, last_workday
    )
    recent = _document(
        reception,
        title=RECENT_DOCUMENT[0],
        number=RECENT_DOCUMENT[1],
        office=song,
        retrieved_at=_at(last_workday, "16:52"),
        cleaning=cleaning,
    )
    if timezone.now() >= recent.due_at:
        handed_at = recent.due_at - timedelta(minutes=10)
        _hand_over(reception, recent, handed_at)
        # The last document due today handed over: today's documents item is done, as the service does it.
        routine_item_complete(day=today, code=RoutineItem.Code.DOCUMENTS, user=reception, at=handed_at)
    document_deadline_sync(recent, reminder_minutes=routine_standard_current().reminder_minutes)

    older_day = _working_day_before(today, count=3)
    older = _document(
        reception,
        title=OLDER_DOCUMENT[0],
        number=OLDER_DOCUMENT[1],
        office=_office("周国庆"),
        retrieved_at=_at(older_day, "17:05"),
    )
    _hand_over(reception, older, older.due_at - timedelta(minutes=18))
