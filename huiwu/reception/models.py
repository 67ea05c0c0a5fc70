"""The reception team's day (礼仪接待组, seed 篇3 and DESIGN.md §4.4–4.5): the working-day calendar, the routine
standard and each working day's timeline, the work journal (工作笔记), the reviewed-documents register
(已批阅文件), the leaders' offices with their presence board and cleaning records, newspapers, the leaders'
lunch, and the team's grooming self-checks and whereabouts notes (留言条).

Leaders are directory.Person records (kind leader), not users. Nothing here is deleted: registers keep their
history, and the database refuses what must never be (a handover without who and when, a second timeline for
the same day, a tick without its time)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Years a subscription table or an override may be for: wide enough for any real use, narrow enough that a
# typo (20260) is refused.
FIRST_YEAR = 2000
LAST_YEAR = 2100


# --- the working-day calendar --------------------------------------------------------------------------


class CalendarOverride(models.Model):
    """A day whose kind the official calendar (the chinese-calendar package) gets wrong for this unit, or
    does not know yet: the unit's own day off, or a day of a year the package does not cover."""

    day = models.DateField(_("day"), unique=True)
    # No default: whoever adds a day says which kind it is.
    is_workday = models.BooleanField(
        _("kind of day"), choices=[(True, _("Working day")), (False, _("Day off"))], default=None
    )
    reason = models.CharField(_("reason"), max_length=100, help_text=_("e.g. 2027年春节, 单位调休"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day__year__gte=FIRST_YEAR) & Q(day__year__lte=LAST_YEAR), name="calendaroverride_sane_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.reason}"


class CalendarYear(models.Model):
    """A year whose official schedule (国务院办公厅 holiday notice) has been entered in the override table,
    for a year the package does not cover yet: the calendar's data then reaches the end of it."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("e.g. the notice's number"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("year entered by hand")
        verbose_name_plural = _("years entered by hand")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="calendaryear_sane_year"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


# --- the routine and each day's timeline ---------------------------------------------------------------


class RoutineStandard(models.Model):
    """One version of the reception routine's times (seed 篇3 (二)). The first comes from the settings; a
    change is a new version and the old ones stay as history. A day's timeline keeps the version it was
    planned with."""

    door_open_from = models.TimeField(_("open the reception office door from"))
    door_open_by = models.TimeField(_("open the reception office door by"))
    door_open_until = models.TimeField(_("keep the door open until"))
    hot_water_by = models.TimeField(_("hot water ready by"))
    hot_water_pots = models.PositiveSmallIntegerField(
        _("pots of hot water"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    documents_by = models.TimeField(_("reviewed documents handed over by"))
    newspapers_from = models.TimeField(_("newspapers delivered from"))
    newspapers_until = models.TimeField(_("newspapers delivered until"))
    lunch_at = models.TimeField(_("leaders' lunch at"))
    afternoon_duty_at = models.TimeField(_("afternoon duty from"))
    cleaning_from = models.TimeField(_("office cleaning from"))
    work_ends_at = models.TimeField(_("work ends at"))
    reminder_minutes = models.PositiveSmallIntegerField(
        _("reminder, minutes before each item"), validators=[MaxValueValidator(240)]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("in force from"), default=timezone.now)
    reason = models.CharField(_("reason for the change"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reception routine standard")
        verbose_name_plural = _("reception routine standards")
        ordering = ["-changed_at", "-id"]
        constraints = [
            # The day's order, as the seed gives it: each window opens before it closes, and in this sequence.
            models.CheckConstraint(
                condition=Q(door_open_from__lte=F("door_open_by"))
                & Q(door_open_by__lte=F("door_open_until"))
                & Q(newspapers_from__lt=F("newspapers_until"))
                & Q(afternoon_duty_at__lte=F("cleaning_from"))
                & Q(cleaning_from__lt=F("work_ends_at")),
                name="routinestandard_times_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.changed_at):%Y-%m-%d %H:%M}"


class DayPlan(models.Model):
    """The timeline of one working day, planned once (by the worker, or by the first page that needs it):
    the unique day makes a second planner's insert fail instead of doubling the day."""

    day = models.DateField(_("day"), unique=True)
    standard = models.ForeignKey(
        RoutineStandard, verbose_name=_("routine standard"), on_delete=models.PROTECT, related_name="days"
    )
    planned_at = models.DateTimeField(_("planned at"), default=timezone.now)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-day"]
        permissions = [
            ("work_reception", _("Can do the reception routines")),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class RoutineItem(models.Model):
    """One item of a day's timeline. It is a deadline (reception:<day>:<code>): reminded before `due_at`,
    done with one tap, escalated to the team leader when missed."""

    class Code(models.TextChoices):
        # In the order of the day (seed 篇3 (一)–(二)).
        GROOMING = "grooming", _("Grooming self-check")
        DOOR = "door", _("Open the 7F reception office door")
        HOT_WATER = "hot_water", _("Prepare the hot water")
        DOCUMENTS = "documents", _("Hand over the reviewed documents")
        NEWSPAPERS = "newspapers", _("Deliver the newspapers")
        LUNCH = "lunch", _("Leaders' lunch: the five checks")
        AFTERNOON_DUTY = "afternoon_duty", _("Afternoon duty")
        CLEANING = "cleaning", _("Clean the offices of leaders who are out")
        REVIEW = "review", _("Review the journal and tomorrow")

    plan = models.ForeignKey(DayPlan, verbose_name=_("reception day"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("item"), max_length=20, choices=Code.choices)
    # The window: from when the item can be done, and by when it must be.
    starts_at = models.DateTimeField(_("from"))
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("routine item")
        verbose_name_plural = _("routine items")
        ordering = ["plan", "due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="routineitem_once_per_day"),
            models.CheckConstraint(condition=Q(starts_at__lte=F("due_at")), name="routineitem_window_in_order"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="routineitem_done_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_code_display()}"


# --- the work journal ----------------------------------------------------------------------------------


class JournalEntry(models.Model):
    """One line of the work journal (工作笔记): who did what, when. The actions of the day write their own
    lines; people add theirs by hand. Entries are never edited or deleted."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Written by hand")
        ROUTINE = "routine", _("Routine")
        DOCUMENT = "document", _("Reviewed document")
        NEWSPAPER = "newspaper", _("Newspapers")
        LUNCH = "lunch", _("Leaders' lunch")
        CLEANING = "cleaning", _("Office cleaning")
        PRESENCE = "presence", _("Presence board")
        GROOMING = "grooming", _("Grooming self-check")
        WHEREABOUTS = "whereabouts", _("Where we are")
        MATTER = "matter", _("Ad-hoc matter")

    day = models.DateField(_("day"), db_index=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    text = models.CharField(pgettext_lazy("journal entry", "what"), max_length=500)
    # Where the entry's subject is (a document, a cleaning record), for the journal's link.
    url = models.CharField(_("link"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["author", "day"], name="journalentry_author_day_idx")]

    def __str__(self) -> str:
        return self.text


# --- leaders' offices, presence and cleaning -----------------------------------------------------------


class LeaderOffice(models.Model):
    """A leader's office the reception team keeps (seed 篇3 (三)). A principal leader's office (主要领导) has a
    bathroom: its cleaning sequence ends there and its inspection includes the bathroom supplies."""

    class Presence(models.TextChoices):
        IN = "in", pgettext_lazy("presence", "In")
        OUT = "out", pgettext_lazy("presence", "Out")
        AWAY = "away", pgettext_lazy("presence", "On a business trip")

    leader = models.OneToOneField(
        "directory.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="office",
        limit_choices_to={"kind": "leader"},
    )
    room = models.CharField(_("office"), max_length=30, help_text=_("e.g. 7楼 706室"))
    is_principal = models.BooleanField(
        _("principal leader"), default=False, help_text=_("主要领导: the office has a bathroom to clean and stock.")
    )
    # The presence board, kept by reception. 在/不在 hold for the day they are set on; 出差 until it is changed.
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices, default=Presence.IN)
    presence_note = models.CharField(_("presence note"), max_length=100, blank=True, help_text=_("e.g. 出差至周五"))
    presence_set_at = models.DateTimeField(_("presence set at"), null=True, blank=True)
    presence_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presence set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("leader's office")
        verbose_name_plural = _("leaders' offices")
        ordering = ["leader__precedence", "room"]

    def __str__(self) -> str:
        return f"{self.room} {self.leader.name}"


class CleaningRecord(models.Model):
    """One cleaning of a leader's office (seed 篇3 (三)): the knock protocol acknowledged, the sequence done in
    its order, the inspections answered, the door locked."""

    office = models.ForeignKey(
        LeaderOffice, verbose_name=_("leader's office"), on_delete=models.PROTECT, related_name="cleanings"
    )
    day = models.DateField(_("day"))
    cleaner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cleaned by"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    # The knock protocol was followed (three light knocks, three times, two seconds apart; greeted by title).
    knocked_at = models.DateTimeField(_("knocked at"), null=True, blank=True)
    # [[step code, ISO time], …] in the order done; the services hold them to the sequence's order.
    steps = models.JSONField(_("steps done"), default=list, blank=True)
    # {inspection code: answer}, e.g. {"tissues": "restocked", "documents": "taken"}.
    inspections = models.JSONField(_("inspections"), default=dict, blank=True)
    locked_at = models.DateTimeField(_("door locked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("office cleaning")
        verbose_name_plural = _("office cleanings")
        ordering = ["-day", "office"]
        constraints = [
            models.UniqueConstraint(fields=["office", "day"], name="cleaningrecord_once_per_office_and_day"),
            # The door is locked last: after the knock.
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True) | Q(knocked_at__isnull=False),
                name="cleaningrecord_locked_after_knock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.office}"


# --- reviewed documents --------------------------------------------------------------------------------


class ReviewedDocument(models.Model):
    """A reviewed document (已批阅文件) taken back from a leader's office, until the GM office's document
    clerk (总经理办公室主管文件的工作人员) has it: due by the routine's time on the next working day after it
    was retrieved. Never deleted: the register is the proof of where each document went."""

    class Confirmation(models.TextChoices):
        SIGNED_HERE = "signed_here", _("The clerk signed for it on this device")
        SIGNED_BOOK = "signed_book", _("The clerk signed the paper handover book")

    title = models.CharField(_("document title"), max_length=200)
    document_number = models.CharField(
        _("document number"), max_length=60, help_text=_("文件字号, e.g. 京政办发〔2026〕12号")
    )
    reviewing_leader = models.ForeignKey(
        "directory.Person",
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="reviewed_documents",
        limit_choices_to={"kind": "leader"},
    )
    office = models.ForeignKey(
        LeaderOffice,
        verbose_name=_("retrieved from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    retrieved_at = models.DateTimeField(_("retrieved at"))
    retrieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("retrieved by"), on_delete=models.PROTECT, related_name="+"
    )
    # Set when it was recorded during an office cleaning (one tap from its inspection).
    cleaning = models.ForeignKey(
        CleaningRecord,
        verbose_name=_("office cleaning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    due_at = models.DateTimeField(_("to be handed over by"))
    handed_to = models.CharField(_("handed to"), max_length=50, blank=True)
    handed_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clerk_confirmation = models.CharField(
        _("clerk's confirmation"), max_length=20, choices=Confirmation.choices, blank=True
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("reviewed document")
        verbose_name_plural = _("reviewed documents")
        ordering = ["-retrieved_at", "-id"]
        constraints = [
            # A handover is whole: to whom, when, by whom, and the clerk's confirmation — or none of it.
            models.CheckConstraint(
                condition=Q(handed_at__isnull=True, handed_by__isnull=True, handed_to="", clerk_confirmation="")
                | (
                    Q(handed_at__isnull=False, handed_by__isnull=False)
                    & ~Q(handed_to="")
                    & Q(clerk_confirmation__in=["signed_here", "signed_book"])
                ),
                name="revieweddocument_handover_whole",
            ),
            models.CheckConstraint(
                condition=Q(retrieved_at__lt=F("due_at")), name="revieweddocument_due_after_retrieval"
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(handed_at__isnull=True), name="revieweddocument_waiting_idx")
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}"


# --- newspapers ----------------------------------------------------------------------------------------


class Publication(models.Model):
    """A newspaper or magazine the leaders subscribe to (e.g. 人民日报)."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """One cell of the leaders' annual subscription table (局领导当年报刊订阅表): a leader's copies of a
    publication in a year. Each working day's distribution list is read from the table of its year."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    leader = models.ForeignKey(
        "directory.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
        limit_choices_to={"kind": "leader"},
    )
    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    copies = models.PositiveSmallIntegerField(_("copies"), validators=[MinValueValidator(1), MaxValueValidator(99)])

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-year", "leader__precedence", "publication__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "leader", "publication"], name="subscription_once_per_year"),
            models.CheckConstraint(condition=Q(copies__gte=1) & Q(copies__lte=99), name="subscription_copies_range"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="subscription_sane_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.leader.name} {self.publication.name} ×{self.copies}"


class NewspaperDelivery(models.Model):
    """A leader's office ticked as delivered on a day's distribution round."""

    day = models.DateField(_("day"))
    office = models.ForeignKey(
        LeaderOffice, verbose_name=_("leader's office"), on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_at = models.DateTimeField(_("delivered at"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("delivered by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("newspaper delivery")
        verbose_name_plural = _("newspaper deliveries")
        ordering = ["-day", "office"]
        constraints = [models.UniqueConstraint(fields=["day", "office"], name="newspaperdelivery_once_per_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.office}"


class MissingPaper(models.Model):
    """A paper that did not come on a day (the mail room did not have it), recorded for the office it was for."""

    day = models.DateField(_("day"))
    office = models.ForeignKey(
        LeaderOffice, verbose_name=_("leader's office"), on_delete=models.PROTECT, related_name="missing_papers"
    )
    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.PROTECT, related_name="missing"
    )
    copies = models.PositiveSmallIntegerField(
        _("copies missing"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("missing paper")
        verbose_name_plural = _("missing papers")
        ordering = ["-day", "office"]
        constraints = [
            models.UniqueConstraint(fields=["day", "office", "publication"], name="missingpaper_once_per_day"),
            models.CheckConstraint(condition=Q(copies__gte=1) & Q(copies__lte=99), name="missingpaper_copies_range"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.office} {self.publication}"


# --- leaders' lunch ------------------------------------------------------------------------------------


class TablewareSet(models.Model):
    """A leader's numbered tableware set in the disinfection cabinet of the 2F small dining room."""

    leader = models.OneToOneField(
        "directory.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="tableware",
        limit_choices_to={"kind": "leader"},
    )
    number = models.CharField(_("number"), max_length=20, unique=True, help_text=_("The number on the set, e.g. 03"))
    place = models.CharField(_("place in the cabinet"), max_length=50, blank=True, help_text=_("e.g. 消毒柜上层左二"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tableware set")
        verbose_name_plural = _("tableware sets")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.leader.name}"


class LunchDay(models.Model):
    """A day's leaders' lunch: the menu and the first four of the five checks, each answered with its time.
    The fifth (each leader told the menu and their request taken) is read from the day's requests."""

    day = models.DateField(_("day"), unique=True)
    menu = models.TextField(_("today's menu"), blank=True)
    door_opened_at = models.DateTimeField(_("dining room door opened at"), null=True, blank=True)
    hygiene_checked_at = models.DateTimeField(_("hygiene checked at"), null=True, blank=True)
    tableware_matched_at = models.DateTimeField(_("tableware matched at"), null=True, blank=True)
    menu_known_at = models.DateTimeField(_("menu known at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("leaders' lunch")
        verbose_name_plural = _("leaders' lunches")
        ordering = ["-day"]
        constraints = [
            # The menu is known only once it is written down.
            models.CheckConstraint(
                condition=Q(menu_known_at__isnull=True) | ~Q(menu=""), name="lunchday_menu_known_has_menu"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class LunchRequest(models.Model):
    """A leader told the day's menu, and what they asked for (or that they do not eat today). The directory's
    dietary notes at that moment are kept with it: the request is what is served, the habits come second."""

    lunch = models.ForeignKey(
        LunchDay, verbose_name=_("leaders' lunch"), on_delete=models.CASCADE, related_name="requests"
    )
    leader = models.ForeignKey(
        "directory.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="lunch_requests",
        limit_choices_to={"kind": "leader"},
    )
    # No default: the leader's answer.
    eats = models.BooleanField(
        _("eats today"), choices=[(True, _("Eats today")), (False, _("Not today"))], default=None
    )
    request = models.CharField(_("request"), max_length=200, blank=True, help_text=_("e.g. 少盐, 米饭半碗"))
    dietary_notes = models.CharField(_("dietary notes"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("lunch request")
        verbose_name_plural = _("lunch requests")
        ordering = ["lunch", "leader__precedence"]
        constraints = [models.UniqueConstraint(fields=["lunch", "leader"], name="lunchrequest_once_per_leader")]

    def __str__(self) -> str:
        return f"{self.lunch} {self.leader.name}"


# --- the team: grooming and whereabouts ----------------------------------------------------------------


class GroomingCheck(models.Model):
    """A reception attendant's self-check at the start of the day (seed 篇3 (一)): each item ticked by them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("attendant"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    uniform = models.BooleanField(_("in uniform"))
    scarf_and_badge = models.BooleanField(_("scarf and badge on"))
    light_make_up = models.BooleanField(_("face clean, light make-up"))
    no_jewellery = models.BooleanField(_("no jewellery on ears or hands (a watch is fine)"))

    class Meta:
        verbose_name = _("grooming self-check")
        verbose_name_plural = _("grooming self-checks")
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="groomingcheck_once_per_day"),
            # A self-check is recorded once every item holds: what does not is put right first.
            models.CheckConstraint(
                condition=Q(uniform=True, scarf_and_badge=True, light_make_up=True, no_jewellery=True),
                name="groomingcheck_every_item_ticked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.user}"


class Whereabouts(models.Model):
    """Where a member of the team went when they left the office (the seed's 留言条): shown on the team's
    status with their mobile number until they are back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("attendant"), on_delete=models.PROTECT, related_name="+"
    )
    where = models.CharField(_("gone to"), max_length=100, help_text=_("e.g. 4楼 401会议室 会议接待"))
    phone = models.CharField(_("mobile number"), max_length=30)
    left_at = models.DateTimeField(_("left at"), default=timezone.now)
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("whereabouts note")
        verbose_name_plural = _("whereabouts notes")
        ordering = ["-left_at", "-id"]
        constraints = [
            # One note at a time: a new one is left after coming back from the last.
            models.UniqueConstraint(fields=["user"], condition=Q(back_at__isnull=True), name="whereabouts_one_open"),
            models.CheckConstraint(
                condition=Q(back_at__isnull=True) | Q(back_at__gte=F("left_at")), name="whereabouts_back_after_leaving"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.where}"
