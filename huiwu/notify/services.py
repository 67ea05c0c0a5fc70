"""The deadline engine: keeping deadlines in step with their sources, and turning due ones into
notifications (inbox) and deliveries (e-mail, robots, webhooks) exactly once.

Several workers on several machines may run `deadlines_process` at the same time. Each deadline changes
state through a compare-and-set UPDATE (only the process whose UPDATE changed the row acts), and the state
change, the notifications and the deliveries are written in one transaction: a worker killed half-way
leaves nothing behind, and the next one does the whole job. A unique constraint on (recipient, deadline,
event) backs this up in the database.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.meetings.access import meeting_audience_ids
from huiwu.meetings.describe import meeting_busy_describe
from huiwu.notify.models import Channel, Deadline, Delivery, Endpoint, Kind, Notification, Preference
from huiwu.notify.selectors import channels_for, kinds_for
from huiwu.notify.tasks import deliveries_create

ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK, Channel.WEBHOOK)
# Kinds whose link is a credential of its recipient (the survey's one-time link answers without signing in):
# they reach the person only (inbox, e-mail), never a group robot or webhook where others would read it.
PERSONAL_KINDS = frozenset({Kind.SURVEY})


# --- keeping deadlines in step with their source ------------------------------------------------------


@dataclass(frozen=True)
class DeadlineSpec:
    """A deadline as its source wants it now (see deadlines_upsert); `key` is its identity in the source."""

    key: str
    kind: str
    title: str
    url: str
    opens_at: datetime
    due_at: datetime
    meeting: Model | None = None  # the meeting it is about (a meetings.Meeting: the engine knows no domain)
    responsible_role: str = ""
    responsible_users: Sequence[User] = ()
    awaits_completion: bool = False
    escalate_to_role: str = ""
    # The work is to be done again (e.g. a re-opened check): a deadline its completion closed opens again.
    undone: bool = False


_OPEN_STATES = (Deadline.State.PENDING, Deadline.State.REMINDED)
# What a source decides, and what the worker's progress with a deadline is (written only when it opens again).
_SOURCE_FIELDS = (
    "kind",
    "title",
    "url",
    "meeting",
    "opens_at",
    "due_at",
    "responsible_role",
    "awaits_completion",
    "escalate_to_role",
)
_PROGRESS_FIELDS = ("round", "state", "reminded_at", "closed_at", "note")


def _source_values(spec: DeadlineSpec) -> dict:
    return {name: getattr(spec, name) for name in _SOURCE_FIELDS} | {"title": spec.title[:200]}


def _differs(deadline: Deadline, values: dict) -> bool:
    meeting = values["meeting"]
    return deadline.meeting_id != (meeting.pk if meeting else None) or any(
        getattr(deadline, name) != value for name, value in values.items() if name != "meeting"
    )


def deadlines_upsert(*, specs: Iterable[DeadlineSpec], others: QuerySet[Deadline] | None = None) -> list[Deadline]:
    """Create each deadline or bring it to its spec, and cancel the open ones among `others` (the source's other
    deadlines) that no spec names any more. Returns the deadlines in the order of `specs`.

    A deadline whose time moved opens again (a new round if it had reminded or closed), and so does a cancelled
    one, and a done one when its source says the work is to be done again (`undone`); one whose time did not move
    keeps its state. However many the specs, this is one locked read of the rows they name (and of `others`), one
    INSERT of the new rows, one UPDATE of the changed ones (two when some open again and others do not), and
    for the responsible people one read, one DELETE and one INSERT of the links that change, each only when
    needed. The rows stay locked from the read to the commit, and a deadline's progress (state, round, times of
    reminding and closing) is written only when this call changes it: a worker claiming the deadline at the same
    moment is never undone.
    """
    specs = list(specs)
    keys = [spec.key for spec in specs]
    if len(set(keys)) < len(keys):
        raise ValueError("deadlines_upsert: a key is named twice")
    if not specs:
        if others is not None:
            deadlines_cancel(others)
        return []
    # Within the caller's transaction, without a savepoint of its own (two statements more per call).
    with transaction.atomic(savepoint=False):
        return _deadlines_write(specs, keys, others)


def _deadlines_write(specs: list[DeadlineSpec], keys: list[str], others: QuerySet[Deadline] | None) -> list[Deadline]:
    rows = Deadline.objects.filter(key__in=keys)
    if others is not None:
        rows |= others
    # In id order, so that two writers locking some of the same rows cannot each wait for the other.
    existing = {deadline.key: deadline for deadline in rows.select_for_update().order_by("pk")}
    created, reopened, changed, deadlines = [], [], [], []
    for spec in specs:
        values = _source_values(spec)
        deadline = existing.get(spec.key)
        if deadline is None:
            deadline = Deadline(key=spec.key, **values)
            created.append(deadline)
        elif (
            (deadline.opens_at, deadline.due_at) != (spec.opens_at, spec.due_at)
            or deadline.state == Deadline.State.CANCELLED
            or (spec.undone and deadline.state == Deadline.State.DONE)
        ):
            for name, value in values.items():
                setattr(deadline, name, value)
            if deadline.state != Deadline.State.PENDING:
                deadline.round += 1
            deadline.state = Deadline.State.PENDING
            deadline.reminded_at = deadline.closed_at = None
            deadline.note = ""
            reopened.append(deadline)
        elif _differs(deadline, values):
            for name, value in values.items():
                setattr(deadline, name, value)
            changed.append(deadline)
        deadlines.append(deadline)
    Deadline.objects.bulk_create(created)
    if reopened:
        Deadline.objects.bulk_update(reopened, [*_SOURCE_FIELDS, *_PROGRESS_FIELDS])
    if changed:
        Deadline.objects.bulk_update(changed, _SOURCE_FIELDS)
    named = set(keys)
    stale = [d.pk for d in existing.values() if d.key not in named and d.state in _OPEN_STATES]
    if stale:
        deadlines_cancel(Deadline.objects.filter(pk__in=stale))
    known = [deadline.pk for deadline in deadlines if deadline.key in existing]
    _responsible_users_set(_people(deadlines, specs), known=known)
    return deadlines


def _people(deadlines: list[Deadline], specs: list[DeadlineSpec]) -> dict[int, set[int]]:
    return {
        deadline.pk: {user.pk for user in spec.responsible_users}
        for deadline, spec in zip(deadlines, specs, strict=True)
    }


def deadlines_create(*, specs: Iterable[DeadlineSpec]) -> list[Deadline]:
    """The deadlines of a subject created by the calling transaction (a meeting just booked), whose keys no
    deadline can hold yet: one INSERT of the rows and one of their responsible people, nothing read first. A
    key that exists after all fails the transaction (IntegrityError) rather than being updated."""
    specs = list(specs)
    with transaction.atomic(savepoint=False):
        deadlines = Deadline.objects.bulk_create(Deadline(key=spec.key, **_source_values(spec)) for spec in specs)
        _responsible_users_set(_people(deadlines, specs), known=[])
    return deadlines


def _responsible_users_set(wanted: dict[int, set[int]], *, known: list[int]) -> None:
    """Link each deadline to exactly its people (deadline id → user ids), writing only the links that change;
    `known`: the deadlines that existed before, whose links are read (a new one has none)."""
    link = Deadline.responsible_users.through
    current: dict[int, set[int]] = defaultdict(set)
    for deadline_id, user_id in link.objects.filter(deadline_id__in=known).values_list("deadline_id", "user_id"):
        current[deadline_id].add(user_id)
    gone = Q()
    for pk, users in wanted.items():
        if current[pk] - users:
            gone |= Q(deadline_id=pk, user_id__in=sorted(current[pk] - users))
    if gone:
        link.objects.filter(gone).delete()
    link.objects.bulk_create(
        [
            link(deadline_id=pk, user_id=user_id)
            for pk, users in wanted.items()
            for user_id in sorted(users - current[pk])
        ],
        ignore_conflicts=True,  # like ManyRelatedManager.set(): a link another writer just made is no error
    )


def deadline_upsert(
    *,
    key: str,
    kind: str,
    title: str,
    url: str,
    opens_at: datetime,
    due_at: datetime,
    meeting=None,
    responsible_role: str = "",
    responsible_users: Iterable[User] = (),
    awaits_completion: bool = False,
    escalate_to_role: str = "",
    undone: bool = False,
) -> Deadline:
    """One deadline, for a source that has a single one to keep in step: deadlines_upsert's rules."""
    spec = DeadlineSpec(
        key=key,
        kind=kind,
        title=title,
        url=url,
        opens_at=opens_at,
        due_at=due_at,
        meeting=meeting,
        responsible_role=responsible_role,
        responsible_users=list(responsible_users),
        awaits_completion=awaits_completion,
        escalate_to_role=escalate_to_role,
        undone=undone,
    )
    return deadlines_upsert(specs=[spec])[0]


def deadlines_cancel(deadlines) -> int:
    """Cancel the open ones among these (their subject was cancelled or no longer needs them)."""
    return deadlines.filter(state__in=_OPEN_STATES).update(state=Deadline.State.CANCELLED, closed_at=timezone.now())


def deadline_complete(*, key: str) -> bool:
    """The action a deadline waited for was done; returns False if it was no longer open."""
    done = Deadline.objects.filter(key=key, state__in=_OPEN_STATES)
    return bool(done.update(state=Deadline.State.DONE, closed_at=timezone.now()))


# --- notifications ------------------------------------------------------------------------------------


def _users_with_role(role: str) -> list[User]:
    if not role:
        return []
    return list(User.objects.filter(is_active=True, groups__name=role))


class _Context:
    """What one transaction's notifications share, looked up once: the active endpoints, role members."""

    def __init__(self) -> None:
        self.endpoints = list(Endpoint.objects.filter(is_active=True))
        self._role_members: dict[str, list[User]] = {}

    def role_members(self, role: str) -> list[User]:
        if role not in self._role_members:
            self._role_members[role] = _users_with_role(role)
        return self._role_members[role]


def _enabled(user: User, kind: str, channel: str, preferences: dict) -> bool:
    # Every channel is on until the user turns it off.
    return preferences.get((user.pk, kind, channel), True)


@dataclass
class _Message:
    """What one notification is about, for each of its recipients: _notify_all writes many at once."""

    recipients: list[User]
    kind: str
    event: str
    title: str
    body: str
    url: str
    deadline: Deadline | None = None
    meeting: Model | None = None


def _notify(
    *,
    recipients: Iterable[User],
    kind: str,
    event: str,
    title: str,
    body: str,
    url: str,
    deadline=None,
    meeting=None,
    context: _Context | None = None,
) -> list[Notification]:
    """Inbox entries for each recipient, and their deliveries; sent once the transaction commits (_notify_all)."""
    message = _Message(list(recipients), kind, event, title, body, url, deadline=deadline, meeting=meeting)
    return _notify_all([message], context)


def _notify_all(messages: Iterable[_Message], context: _Context | None = None) -> list[Notification]:
    """Inbox entries for each recipient of each message, and their deliveries; sent once the transaction
    commits. About a confidential meeting, only its audience reads the title and body; the others, and every
    channel outside Huiwu, get the busy block (room and time).

    However many the messages (a chunk of reminders), this is one INSERT of the notifications, one read of
    the preferences, and one INSERT of the deliveries and one write of their tasks (deliveries_create); on
    SQLite, a long INSERT goes in batches of its parameter limit."""
    messages = [_to_send(message) for message in messages if _active(message.recipients)]
    if not messages:
        return []
    context = context or _Context()
    written = [_notifications(message) for message in messages]
    every_notification = [notification for notifications in written for notification in notifications]
    Notification.objects.bulk_create(every_notification)
    preferences = _preferences(messages)
    deliveries = [
        delivery
        for message, notifications in zip(messages, written, strict=True)
        for delivery in _deliveries(message, notifications, preferences, context)
    ]
    # Written with their tasks, all at once: in this transaction (database backend) or after it (Redis).
    deliveries_create(deliveries)
    return every_notification


def _active(users: Iterable[User]) -> list[User]:
    """The active ones among these people, each once."""
    return list({user.pk: user for user in users if user.is_active}.values())


def _to_send(message: _Message) -> _Message:
    """The message to its active recipients, about its deadline's meeting unless it names a meeting."""
    meeting = message.meeting or (message.deadline.meeting if message.deadline else None)
    return replace(message, recipients=_active(message.recipients), meeting=meeting)


def _notifications(message: _Message) -> list[Notification]:
    """The message's inbox entries (not yet written), one per recipient, in the order of its recipients."""
    audience, busy_title = _confidential_view(message.meeting)
    deadline = message.deadline

    def told(user: User) -> bool:
        return audience is None or user.pk in audience

    return [
        Notification(
            recipient=user,
            kind=message.kind,
            event=message.event,
            deadline=deadline,
            deadline_round=deadline.round if deadline else None,
            title=message.title if told(user) else busy_title,
            body=message.body if told(user) else "",
            url=message.url,
            meeting=message.meeting,
            external_title=busy_title,
        )
        for user in message.recipients
    ]


def _preferences(messages: list[_Message]) -> dict[tuple[int, str, str], bool]:
    """(user id, kind, channel) → on or off, for every recipient of the messages: one query. A user's setting
    for a kind that only others' messages are of is read too, and never used: the key names the kind."""
    users = {user.pk for message in messages for user in message.recipients}
    kinds = {message.kind for message in messages}
    return {
        (p.user_id, p.kind, p.channel): p.enabled
        for p in Preference.objects.filter(user__in=sorted(users), kind__in=sorted(kinds))
    }


def _deliveries(
    message: _Message, notifications: list[Notification], preferences: dict, context: _Context
) -> list[Delivery]:
    """The deliveries (not yet written) of one message whose notifications are written: an e-mail to each
    recipient who has an address and wants it, one post to each robot or webhook some recipient concerns."""
    kind, recipients, deadline = message.kind, message.recipients, message.deadline
    event_key = (
        f"deadline:{deadline.pk}:{deadline.round}:{message.event}" if deadline else f"notice:{notifications[0].pk}"
    )
    deliveries = [
        Delivery(notification=notification, channel=Channel.EMAIL, event_key=f"{event_key}:{notification.recipient_id}")
        for notification in notifications
        if notification.recipient.email and _enabled(notification.recipient, kind, Channel.EMAIL, preferences)
    ]
    # Roles are looked up only when some robot or webhook is set up: most installations start without.
    roles_of = {user.pk: {role.value for role in user.roles} for user in recipients} if context.endpoints else {}
    for endpoint in context.endpoints if kind not in PERSONAL_KINDS else ():
        concerned = [
            user
            for user in recipients
            if (not endpoint.roles or roles_of[user.pk] & set(endpoint.roles))
            and _enabled(user, kind, endpoint.channel, preferences)
        ]
        if concerned:
            first = next(n for n in notifications if n.recipient_id == concerned[0].pk)
            deliveries.append(
                Delivery(
                    notification=first,
                    channel=endpoint.channel,
                    endpoint=endpoint,
                    event_key=event_key,
                    mentions=[user.phone for user in concerned if user.phone],
                )
            )
    return deliveries


def _confidential_view(meeting) -> tuple[set[int] | None, str]:
    """(who may read about the meeting, what the others read): (None, "") for an ordinary meeting."""
    if meeting is None or not meeting.is_confidential:
        return None, ""
    return meeting_audience_ids(meeting), meeting_busy_describe(meeting)


def notify_role(
    *, role: Role, kind: str, title: str, body: str, url: str, exclude: User | None = None, meeting=None
) -> None:
    """A notice to everyone holding a role (e.g. the hotline hears of every booking)."""
    recipients = [user for user in _users_with_role(role) if exclude is None or user.pk != exclude.pk]
    notify_users(recipients=recipients, kind=kind, title=title, body=body, url=url, meeting=meeting)


def notify_users(*, recipients: Iterable[User], kind: str, title: str, body: str, url: str, meeting=None) -> None:
    """A notice to these people (e.g. whoever confirmed a check that a change has re-opened). About a
    confidential `meeting`, it names the meeting only to those who may see it."""
    _notify(
        recipients=recipients,
        kind=kind,
        event=Notification.Event.NOTICE,
        title=title,
        body=body,
        url=url,
        meeting=meeting,
    )


# --- the inbox ----------------------------------------------------------------------------------------


def notification_read(*, notification: Notification) -> Notification:
    """Mark it read; read twice, it keeps the time it was first read."""
    now = timezone.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
        notification.read_at = now
    else:
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of `user` read; returns how many were unread."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def preferences_set(*, user: User, choices: Mapping[tuple[str, str], bool]) -> None:
    """Turn each (kind, channel) of `choices` on or off for `user`; the pairs not named keep their setting.
    Only the kinds the user may receive and the channels this deployment has can be set: any other pair
    refuses the whole change (the inbox is no channel to set, it is always on)."""
    kinds = {kind.value for kind in kinds_for(user)}
    channels = {channel.value for channel in channels_for(user)}
    errors = {}
    for kind, channel in choices:
        if kind not in kinds:
            errors.setdefault("kind", _("You do not receive notifications of this kind: %(kind)s.") % {"kind": kind})
        elif channel not in channels:
            errors.setdefault(
                "channel", _("This channel is not set up for you here: %(channel)s.") % {"channel": channel}
            )
    if errors:
        raise ValidationError(errors)
    Preference.objects.bulk_create(
        [Preference(user=user, kind=kind, channel=channel, enabled=on) for (kind, channel), on in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "kind", "channel"],
        update_fields=["enabled"],
    )


# --- the worker's job ---------------------------------------------------------------------------------

# Deadlines claimed per transaction: one commit for many reminders, and a killed worker loses a whole
# chunk's work at most (rolled back, so redone by the next pass: still exactly once).
CHUNK = 50


def _recipients(deadline: Deadline, context: _Context) -> list[User]:
    return [*deadline.responsible_users.all(), *context.role_members(deadline.responsible_role)]


def _claim(queryset) -> list[Deadline]:
    """Lock a chunk of the deadlines the queryset names. On PostgreSQL, SKIP LOCKED lets several workers
    take different chunks side by side; on SQLite the IMMEDIATE transaction already excludes the others.
    Their meetings are read with them, once for the chunk (the notifications are about them)."""
    active_users = User.objects.filter(is_active=True)  # pragma: no mutate (_notify skips inactive people anyway)
    return list(
        queryset.select_for_update(skip_locked=True, of=("self",)).prefetch_related(  # pragma: no mutate (PostgreSQL)
            Prefetch("responsible_users", queryset=active_users),  # pragma: no mutate (as active_users)
            "meeting",
        )[:CHUNK]
    )


def _compare_and_set(deadlines: list[Deadline], states: Sequence[str], changes: dict[int, dict]) -> list[Deadline]:
    """Change each deadline still in one of `states` as `changes` (deadline id → field values) says; returns
    those changed, in order: only they are acted upon. One read and one UPDATE per distinct change, however
    many the deadlines (a reminder too late to send has a note of its own, so an UPDATE of its own: rare, after
    the worker was down). The chunk's rows are locked from the claim to the commit (PostgreSQL: FOR UPDATE;
    SQLite: the IMMEDIATE transaction), so what the read finds is what each UPDATE meets; the UPDATEs check
    the state all the same."""
    still = set(
        Deadline.objects.filter(pk__in=[deadline.pk for deadline in deadlines], state__in=states).values_list(
            "pk", flat=True
        )
    )
    changed = [deadline for deadline in deadlines if deadline.pk in still]
    alike: dict[tuple, list[int]] = defaultdict(list)
    for deadline in changed:
        alike[tuple(changes[deadline.pk].items())].append(deadline.pk)
    for values, pks in alike.items():
        Deadline.objects.filter(pk__in=pks, state__in=states).update(**dict(values))
    return changed


def _opening(deadline: Deadline, now: datetime, cutoff: timedelta) -> dict:
    """What opening the deadline at `now` changes (a reminder is sent unless it records a note)."""
    if now - deadline.opens_at > cutoff:
        # Too late to be of use (the worker was down): recorded, not sent. A deadline that awaits its
        # work stays open for it: only the reminder was missed, and if the work is not done by the due
        # time the next level still hears of it (_miss_chunk).
        note = "too late to remind: %s after its time" % (now - deadline.opens_at)
        if deadline.awaits_completion:
            return {"state": Deadline.State.REMINDED, "note": note[:200]}
        return {"state": Deadline.State.MISSED, "closed_at": now, "note": note[:200]}
    if deadline.awaits_completion:
        return {"state": Deadline.State.REMINDED, "reminded_at": now}
    return {"state": Deadline.State.DONE, "reminded_at": now, "closed_at": now}


def _about(deadline: Deadline, event: str, recipients: list[User]) -> _Message:
    """The reminder or escalation of a deadline, in its own words."""
    return _Message(recipients, deadline.kind, event, deadline.title, "", deadline.url, deadline=deadline)


def _open_chunk(now: datetime) -> int:
    """Remind the responsible people of a chunk of deadlines that have opened."""
    cutoff = timedelta(minutes=settings.REMINDER_CUTOFF_MINUTES)
    with transaction.atomic():
        deadlines = _claim(
            Deadline.objects.filter(state=Deadline.State.PENDING, opens_at__lte=now).order_by("opens_at")
        )
        context = _Context()
        changes = {deadline.pk: _opening(deadline, now, cutoff) for deadline in deadlines}
        # Compare-and-set: the rows are locked, and the state is checked again all the same.
        opened = _compare_and_set(deadlines, [Deadline.State.PENDING], changes)
        # The whole chunk's reminders written together: a few statements, not a few per deadline.
        _notify_all(
            [
                _about(deadline, Notification.Event.REMINDER, _recipients(deadline, context))
                for deadline in opened
                if "note" not in changes[deadline.pk]
            ],
            context,
        )
    return len(deadlines)


def _miss_chunk(now: datetime) -> int:
    """Deadlines that fell due without completion: missed, and the next level hears about it."""
    open_states = [Deadline.State.PENDING, Deadline.State.REMINDED]
    with transaction.atomic():
        deadlines = _claim(
            Deadline.objects.filter(state__in=open_states, awaits_completion=True, due_at__lte=now).order_by("due_at")
        )
        context = _Context()
        changes = {deadline.pk: {"state": Deadline.State.MISSED, "closed_at": now} for deadline in deadlines}
        missed = _compare_and_set(deadlines, open_states, changes)
        _notify_all(
            [
                _about(
                    deadline,
                    Notification.Event.ESCALATION,
                    [*_recipients(deadline, context), *context.role_members(deadline.escalate_to_role)],
                )
                for deadline in missed
            ],
            context,
        )
    return len(deadlines)


def deadlines_process(*, now: datetime | None = None, batch: int = 200) -> int:
    """One pass of the worker: open what is due to remind, miss what fell due. Returns how many it handled."""
    now = now or timezone.now()
    handled = 0
    for step in (_open_chunk, _miss_chunk):
        while handled < batch:
            done = step(now)
            handled += done
            if done < CHUNK:
                break
    return handled


def deadline_next_at() -> datetime | None:
    """When the next pending deadline opens or an open one falls due: how long an idle worker may sleep."""
    opens = (
        Deadline.objects.filter(state=Deadline.State.PENDING).order_by("opens_at").values_list("opens_at", flat=True)
    )
    due = (
        Deadline.objects.filter(state__in=[Deadline.State.PENDING, Deadline.State.REMINDED], awaits_completion=True)
        .order_by("due_at")
        .values_list("due_at", flat=True)
    )
    moments = [moment for moment in (opens.first(), due.first()) if moment is not None]
    return min(moments, default=None)
