"""The reception team at work (huiwu demo): a second attendant (the accounts' demo has one per role), the demo
attendant's grooming self-check of this morning, her colleague out at a meeting with a note up, journal
entries by hand for yesterday and today, and two ad-hoc matters — one done and confirmed with the GM office,
one in progress. Whatever time the demo runs, nothing is dated after now: before the day begins, today has
no self-check and no entry yet. Run again, it adds nothing twice."""

from datetime import datetime, timedelta

from django.utils import timezone

from huiwu.accounts.demo import DEMO_PASSWORD
from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.delegations.models import DelegatedTask, DelegationNotice
from huiwu.reception.models import GroomingCheck, JournalEntry, Whereabouts
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.matters import matter_confirm, matter_done, matter_record, matter_start
from huiwu.reception.services.standard import routine_standard_current
from huiwu.reception.workdays import at_local

COLLEAGUE = ("reception2", "王敏", "13800000016")
NOTE_WHERE = "4楼 401会议室 会议接待"
# (day offset, minutes after the door opens, author's username, text)
JOURNAL = [
    (-1, 25, "reception", "总经办王主任来电：明天上午局长办公会，7楼 701会议室，请提前备好茶水。"),
    (-1, 480, "reception2", "706室饮水机桶装水已空，已通知后勤送水，明早复查。"),
    (0, 5, "reception", "706室饮水机已换新桶，复查正常。"),
    (0, 50, "reception2", "宋局长秘书交代：下午有两位客人来访，到时引至704室。"),
]
CONFIRMED_MATTER = ("将会议纪要送至市政府办公厅", "总经办 王主任")
OPEN_MATTER = ("为周局长预订明早8:30去机场的车辆", "局办公室 李秘书")


def _colleague() -> User:
    username, display_name, phone = COLLEAGUE
    return user_upsert(
        username=username, password=DEMO_PASSWORD, display_name=display_name, phone=phone, roles=[Role.RECEPTION]
    )


def _grooming(attendant: User, morning: datetime, now: datetime) -> None:
    # Written as of this morning: the service records its own time, which is now, hours after the self-check.
    checked_at = morning + timedelta(minutes=1)
    day = timezone.localdate(now)
    if checked_at > now or GroomingCheck.objects.filter(user=attendant, day=day).exists():
        return
    GroomingCheck.objects.create(
        user=attendant,
        day=day,
        checked_at=checked_at,
        uniform=True,
        scarf_and_badge=True,
        light_make_up=True,
        no_jewellery=True,
    )
    journal_write(
        author=attendant,
        source=JournalEntry.Source.GROOMING,
        text="仪容自检完成：着工装、配戴丝巾和工牌、面部干净并化淡妆、耳部和手部未戴饰品。",
        at=checked_at,
    )


def _note(colleague: User, morning: datetime, now: datetime) -> None:
    if now < morning or Whereabouts.objects.filter(user=colleague, back_at__isnull=True).exists():
        return
    left_at = max(morning, now - timedelta(minutes=35))
    Whereabouts.objects.create(user=colleague, where=NOTE_WHERE, phone=colleague.phone, left_at=left_at)
    journal_write(
        author=colleague,
        source=JournalEntry.Source.WHEREABOUTS,
        text=f"外出：{NOTE_WHERE}（手机 {colleague.phone}）。",
        at=left_at,
    )


def _journal(users: dict[str, User], now: datetime) -> None:
    opens = routine_standard_current().door_open_from
    for offset, minutes, username, text in JOURNAL:
        day = timezone.localdate(now) + timedelta(days=offset)
        at = at_local(day, opens) + timedelta(minutes=minutes)
        author = users[username]
        if at > now or JournalEntry.objects.filter(author=author, day=day, text=text).exists():
            continue
        journal_write(author=author, source=JournalEntry.Source.MANUAL, text=text, at=at)


def _matters(attendant: User, colleague: User, now: datetime) -> None:
    title, requester = CONFIRMED_MATTER
    if not DelegatedTask.objects.filter(title=title, requester_name=requester).exists():
        task = matter_record(
            user=attendant, title=title, requester_name=requester, due_at=now + timedelta(hours=2), assignee=attendant
        )
        matter_start(user=attendant, task=task)
        matter_done(user=attendant, task=task, note="已交市政府办公厅秘书处，对方签收。")
        matter_confirm(
            user=attendant,
            task=task,
            method=DelegationNotice.Method.PHONE,
            notified_at=timezone.now(),
            answer="王主任：收到，辛苦了。",
        )
    title, requester = OPEN_MATTER
    if not DelegatedTask.objects.filter(title=title, requester_name=requester).exists():
        task = matter_record(
            user=attendant,
            title=title,
            requester_name=requester,
            due_at=now + timedelta(hours=3),
            assignee=colleague,
            details="两人同行，一只行李箱；与车队确认后回复李秘书。",
        )
        matter_start(user=colleague, task=task)


def demo_load() -> None:
    attendant = User.objects.filter(username="reception").first()
    if attendant is None:
        return
    colleague = _colleague()
    now = timezone.now()
    morning = at_local(timezone.localdate(now), routine_standard_current().door_open_from)
    _grooming(attendant, morning, now)
    _note(colleague, morning, now)
    _journal({"reception": attendant, "reception2": colleague}, now)
    _matters(attendant, colleague, now)
