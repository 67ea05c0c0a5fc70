"""Writes of the newspapers (seed 篇3 (二) 5): the leaders' annual subscription table (局领导当年报刊订阅表) —
cells edited one at a time or the whole year's table imported from Excel — and each working day's round:
an office ticked as delivered, a paper that did not come.

The table is a plan, not a record: its cells may be changed or removed for the current year and the next,
while the tables of past years stay as they were (they are what was delivered). The round is written for
today only, by the attendant doing it; its time is the tick's, never typed in.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.lib.i18n import site_language
from huiwu.lib.text import has_unsafe_characters
from huiwu.reception.access import require_worker
from huiwu.reception.models import (
    FIRST_YEAR,
    LAST_YEAR,
    JournalEntry,
    LeaderOffice,
    MissingPaper,
    NewspaperDelivery,
    Publication,
    RoutineItem,
    Subscription,
)
from huiwu.reception.selectors.newspapers import (
    delivery_timing,
    newspaper_window,
    newspapers_outstanding,
    office_round,
    timing_label,
    total_label,
)
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.routine import routine_item_complete
from huiwu.reception.workdays import is_workday

MAX_COPIES = 99
NAME_LIMIT = Publication._meta.get_field("name").max_length
NOTE_LIMIT = MissingPaper._meta.get_field("note").max_length

# An import is a table of a few dozen leaders and publications (a few kB). The caps refuse a file that could
# only be a mistake or an attack before it costs memory or time: its size as sent, its size unzipped (an xlsx is
# a zip of XML, which packs a thousandfold), and the rows and columns read.
IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
IMPORT_MAX_LEADERS = 300
IMPORT_MAX_PUBLICATIONS = 100
IMPORT_MAX_ROWS_READ = 2000
# Enough to put every mistake of a real table right in one go, few enough to read.
IMPORT_MAX_ERRORS_LISTED = 100


def total_labels() -> set[str]:
    """The first cell of the totals row the export writes, in every language: an import skips that row."""
    labels = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.add(total_label())
    return labels


def editable_years(today: date | None = None) -> tuple[int, int]:
    """The years whose table may change: this one and the next (December plans the coming year)."""
    year = (today or timezone.localdate()).year
    return year, min(year + 1, LAST_YEAR)


def _check_year(year: int) -> None:
    first, last = editable_years()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {"year": _("Enter a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    if year < first:
        raise ValidationError(
            {
                "year": _("The table of %(year)d is kept as it was delivered; only %(first)d and %(last)d can change.")
                % {"year": year, "first": first, "last": last}
            }
        )
    if year > last:
        raise ValidationError(
            {
                "year": _("The table of %(year)d cannot be planned yet; only %(first)d and %(last)d can change.")
                % {"year": year, "first": first, "last": last}
            }
        )


def _clean_text(value: str | None, limit: int) -> tuple[str, str]:
    """(text stripped, error message or "")."""
    text = (value or "").strip()
    if has_unsafe_characters(text):
        return text, _("Remove the control or text-direction characters; they cannot be stored.")
    if len(text) > limit:
        return text, _("At most %(limit)d characters.") % {"limit": limit}
    return text, ""


def _require_leader(leader: Person, field: str = "leader") -> None:
    if leader.kind != Person.Kind.LEADER or not leader.is_active:
        raise ValidationError({field: _("Choose an active leader from the directory.")})


# --- publications and the table's cells -----------------------------------------------------------------


def publication_add(*, user: User, name: str) -> Publication:
    """A new column of the table. A publication made inactive before comes back under its old name."""
    require_worker(user)
    name, error = _clean_text(name, NAME_LIMIT)
    if not error and not name:
        error = _("Enter the publication's name, e.g. 人民日报.")
    if error:
        raise ValidationError({"name": error})
    with transaction.atomic():
        existing = Publication.objects.select_for_update().filter(name=name).first()
        if existing is not None and existing.is_active:
            raise ValidationError({"name": _("%(name)s is in the table already.") % {"name": name}})
        if existing is not None:
            existing.is_active = True
            existing.save(update_fields=["is_active"])
            publication = existing
        else:
            try:
                with transaction.atomic():
                    publication = Publication.objects.create(name=name)
            except IntegrityError:
                raise ValidationError({"name": _("%(name)s is in the table already.") % {"name": name}}) from None
        with site_language():
            text = _("Publication added to the subscription table: %(name)s") % {"name": name}
        journal_write(author=user, source=JournalEntry.Source.NEWSPAPER, text=text)
    return publication


def subscription_set(
    *, user: User, year: int, leader: Person, publication: Publication, copies: int
) -> Subscription | None:
    """A cell of the year's table: `copies` (1–99) of `publication` for `leader`; 0 removes the cell. Answers
    the cell, or None once removed."""
    require_worker(user)
    _check_year(year)
    _require_leader(leader)
    if not publication.is_active:
        raise ValidationError({"publication": _("This publication is no longer in the table.")})
    if isinstance(copies, bool) or not isinstance(copies, int) or not 0 <= copies <= MAX_COPIES:
        raise ValidationError(
            {"copies": _("Enter a whole number of copies from 0 (none) to %(max)d.") % {"max": MAX_COPIES}}
        )
    with transaction.atomic():
        cell = Subscription.objects.select_for_update().filter(year=year, leader=leader, publication=publication)
        existing = cell.first()
        before = existing.copies if existing is not None else 0
        if copies == before:
            return existing
        if copies == 0:
            existing.delete()
            result = None
        elif existing is not None:
            existing.copies = copies
            existing.save(update_fields=["copies"])
            result = existing
        else:
            try:
                with transaction.atomic():
                    result = Subscription.objects.create(
                        year=year, leader=leader, publication=publication, copies=copies
                    )
            except IntegrityError:
                # Added by someone else at the same moment: this answer is the later one.
                result = Subscription.objects.select_for_update().get(year=year, leader=leader, publication=publication)
                result.copies = copies
                result.save(update_fields=["copies"])
        with site_language():
            text = _("Subscription table %(year)d: %(leader)s, %(publication)s %(before)d → %(after)d copies") % {
                "year": year,
                "leader": leader.name,
                "publication": publication.name,
                "before": before,
                "after": copies,
            }
        journal_write(author=user, source=JournalEntry.Source.NEWSPAPER, text=text)
    return result


# --- the whole table from Excel -------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    year: int
    leaders: int
    publications: int
    copies: int
    new_publications: list[str]


class _Errors:
    """The import's mistakes, each with where it is ("第3行 人民日报"), listed up to a readable number."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.messages) < IMPORT_MAX_ERRORS_LISTED:
            self.messages.append(message)

    def at_row(self, row: int, message: str) -> None:
        self.add(_("Row %(row)d: %(message)s") % {"row": row, "message": message})

    def at_cell(self, row: int, column: str, message: str) -> None:
        self.add(_("Row %(row)d, %(column)s: %(message)s") % {"row": row, "column": column, "message": message})

    def raise_if_any(self) -> None:
        if not self.count:
            return
        messages = list(self.messages)
        if self.count > len(messages):
            messages.append(_("…and %(count)d more mistakes.") % {"count": self.count - len(messages)})
        raise ValidationError({"upload": messages})


def _refuse(message: str) -> ValidationError:
    return ValidationError({"upload": message})


def _file_bytes(upload: UploadedFile | None) -> bytes:
    if upload is None:
        raise _refuse(_("Choose the Excel file (.xlsx) to import."))
    too_big = _("The file cannot be larger than %(megabytes)d MB.") % {"megabytes": IMPORT_MAX_BYTES // 1024 // 1024}
    if upload.size is None or upload.size > IMPORT_MAX_BYTES:
        raise _refuse(too_big)
    upload.seek(0)
    data = upload.read(IMPORT_MAX_BYTES + 1)
    if len(data) > IMPORT_MAX_BYTES:
        raise _refuse(too_big)
    return data


def _sheet_rows(data: bytes) -> list[tuple]:
    """The first sheet's rows as values (a formula as its last computed value), or the file refused."""
    not_xlsx = _("This file is not an Excel workbook (.xlsx). Save it as .xlsx and import it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(not_xlsx) from None
    if unzipped > IMPORT_MAX_UNZIPPED_BYTES:
        raise _refuse(_("This workbook holds too much to be a subscription table."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # openpyxl reports a damaged or foreign file with whatever its parsers raise (KeyError, ValueError,
        # XML and zip errors...); for the user they all mean the same.
        raise _refuse(not_xlsx) from None
    try:
        if not workbook.worksheets:
            raise _refuse(_("The workbook has no sheet."))
        rows = []
        try:
            for row in workbook.worksheets[0].iter_rows(max_col=IMPORT_MAX_PUBLICATIONS + 2, values_only=True):
                rows.append(row)
                if len(rows) > IMPORT_MAX_ROWS_READ:
                    raise _refuse(
                        _("The sheet has more than %(count)d rows; a subscription table has one per leader.")
                        % {"count": IMPORT_MAX_ROWS_READ}
                    )
        except ValidationError:
            raise
        except Exception:
            raise _refuse(not_xlsx) from None
    finally:
        workbook.close()
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _copies_of(value) -> int | None:
    """A cell's copies: a whole number 1–99 (typed as a number or as text); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() else None
    if isinstance(value, int) and 1 <= value <= MAX_COPIES:
        return value
    return None


def _shown_value(value) -> str:
    text = str(value).strip()
    return text if len(text) <= 20 else f"{text[:20]}…"


def _header(rows: list[tuple], errors: _Errors) -> dict[int, str]:
    """Column index → publication name, from the first row."""
    if not rows:
        raise _refuse(_("The sheet is empty: the first row names the publications, the first column the leaders."))
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, value in enumerate(rows[0][1:], start=1):
        if _blank(value):
            continue
        column = get_column_letter(index + 1)
        if index > IMPORT_MAX_PUBLICATIONS:
            errors.add(_("At most %(count)d publications.") % {"count": IMPORT_MAX_PUBLICATIONS})
            break
        name, error = _clean_text(str(value), NAME_LIMIT)
        if error:
            errors.at_cell(1, column, error)
        elif name in seen:
            errors.at_cell(
                1, column, _("%(name)s is also the title of column %(other)s.") % {"name": name, "other": seen[name]}
            )
        else:
            names[index] = name
            seen[name] = column
    if not names and not errors.count:
        raise _refuse(_("The first row names no publication: put their names from the second column on."))
    return names


def _leaders_by_name(names: set[str]) -> dict[str, list[Person]]:
    found: dict[str, list[Person]] = {}
    for person in Person.objects.filter(kind=Person.Kind.LEADER, name__in=names).order_by("pk"):
        found.setdefault(person.name, []).append(person)
    # Of leaders sharing a name, the active one is meant: a namesake who has left does not make it ambiguous.
    return {name: [p for p in people if p.is_active] or people for name, people in found.items()}


def _table_cells(rows: list[tuple], names: dict[int, str], errors: _Errors) -> dict[int, dict[str, int]]:
    """Leader id → {publication name: copies}, every mistake added to `errors`."""
    skipped = total_labels()
    body = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if not all(_blank(value) for value in row) and not (isinstance(row[0], str) and row[0].strip() in skipped)
    ]
    if len(body) > IMPORT_MAX_LEADERS:
        raise _refuse(_("At most %(count)d leaders.") % {"count": IMPORT_MAX_LEADERS})
    leader_names = {str(row[0]).strip() for _number, row in body if not _blank(row[0])}
    leaders = _leaders_by_name(leader_names)
    table: dict[int, dict[str, int]] = {}
    row_of_leader: dict[int, int] = {}
    for number, row in body:
        leader = None
        if _blank(row[0]):
            errors.at_row(number, _("The first column must name the leader."))
        else:
            name = str(row[0]).strip()
            candidates = leaders.get(name, [])
            if not candidates:
                errors.at_row(number, _("No leader named %(name)s in the directory.") % {"name": name})
            elif len(candidates) > 1:
                errors.at_row(
                    number,
                    _("%(count)d leaders are named %(name)s in the directory; tell them apart there first.")
                    % {"count": len(candidates), "name": name},
                )
            elif candidates[0].pk in row_of_leader:
                errors.at_row(
                    number,
                    _("%(name)s is in row %(other)d already.")
                    % {"name": name, "other": row_of_leader[candidates[0].pk]},
                )
            else:
                leader = candidates[0]
                row_of_leader[leader.pk] = number
        cells: dict[str, int] = {}
        for index, value in enumerate(row[1:], start=1):
            if _blank(value):
                continue
            if index not in names:
                errors.at_cell(
                    number,
                    _("column %(column)s") % {"column": get_column_letter(index + 1)},
                    _("The column has no publication name in row 1."),
                )
                continue
            copies = _copies_of(value)
            if copies is None:
                errors.at_cell(
                    number,
                    names[index],
                    _(
                        "“%(value)s” is not a number of copies: enter a whole number from 1 to %(max)d, or leave the "
                        "cell empty."
                    )
                    % {"value": _shown_value(value), "max": MAX_COPIES},
                )
                continue
            cells[names[index]] = copies
        if leader is not None:
            table[leader.pk] = cells
    return table


def subscriptions_import(*, user: User, year: int, upload: UploadedFile | None) -> ImportResult:
    """Replace the year's table with the workbook's, laid out as the export is: the first row names the
    publications (from column B; new names become new publications), the first column the leaders (by their
    names in the directory), each cell a whole number of copies 1–99 or empty; a totals row is skipped. Every
    mistake is listed with its row and column, and a file with any mistake changes nothing."""
    require_worker(user)
    _check_year(year)
    rows = _sheet_rows(_file_bytes(upload))
    errors = _Errors()
    names = _header(rows, errors)
    table = _table_cells(rows, names, errors)
    errors.raise_if_any()
    with transaction.atomic():
        existing = {
            publication.name: publication for publication in Publication.objects.filter(name__in=names.values())
        }
        used = {name for cells in table.values() for name in cells}
        new_names = [name for name in names.values() if name not in existing]
        for name in new_names:
            existing[name] = Publication.objects.create(name=name)
        back = [publication.pk for name, publication in existing.items() if name in used and not publication.is_active]
        Publication.objects.filter(pk__in=back).update(is_active=True)
        Subscription.objects.filter(year=year).delete()
        Subscription.objects.bulk_create(
            Subscription(year=year, leader_id=leader_id, publication=existing[name], copies=copies)
            for leader_id, cells in table.items()
            for name, copies in cells.items()
        )
        result = ImportResult(
            year=year,
            leaders=sum(1 for cells in table.values() if cells),
            publications=len(used),
            copies=sum(copies for cells in table.values() for copies in cells.values()),
            new_publications=new_names,
        )
        with site_language():
            text = _(
                "Subscription table %(year)d imported from Excel: %(leaders)d leaders, %(publications)d "
                "publications, %(copies)d copies"
            ) % {"year": year, "leaders": result.leaders, "publications": result.publications, "copies": result.copies}
        journal_write(author=user, source=JournalEntry.Source.NEWSPAPER, text=text)
    return result


# --- the day's round ------------------------------------------------------------------------------------


def _todays_round(day: date, office: LeaderOffice):
    """The office's part of today's list, or why there is none to write to."""
    if day != timezone.localdate():
        raise ValidationError({"day": _("Only today's round can be recorded; other days are read only.")})
    if not is_workday(day):
        raise ValidationError({"day": _("Today is not a working day: there is no newspaper round.")})
    entry = office_round(day, office)
    if entry is None:
        raise ValidationError(
            {"office": _("No paper goes to %(office)s in the %(year)d table.") % {"office": office, "year": day.year}}
        )
    return entry


def already_delivered_message(delivery: NewspaperDelivery) -> str:
    return _("The papers of %(office)s were ticked as delivered at %(time)s by %(user)s.") % {
        "office": delivery.office,
        "time": f"{timezone.localtime(delivery.delivered_at):%H:%M}",
        "user": delivery.delivered_by,
    }


def newspaper_delivered(*, user: User, office: LeaderOffice, day: date) -> NewspaperDelivery:
    """Tick `office` as delivered on today's round, now. Recorded whatever the time; whether it was inside the
    day's window shows with it (delivery_timing). The last office ticked completes the day's newspapers item."""
    require_worker(user)
    with transaction.atomic():
        entry = _todays_round(day, office)
        if entry.delivery is not None:
            raise ValidationError(already_delivered_message(entry.delivery), code="already_delivered")
        now = timezone.now()
        try:
            with transaction.atomic():
                delivery = NewspaperDelivery.objects.create(day=day, office=office, delivered_at=now, delivered_by=user)
        except IntegrityError:
            earlier = NewspaperDelivery.objects.select_related("office__leader", "delivered_by").get(
                day=day, office=office
            )
            raise ValidationError(already_delivered_message(earlier), code="already_delivered") from None
        timing = delivery_timing(now, newspaper_window(day))
        with site_language():
            text = _("Newspapers delivered to %(office)s (%(papers)s), %(timing)s") % {
                "office": office,
                "papers": entry.papers_text(),
                "timing": timing_label(timing),
            }
        journal_write(author=user, source=JournalEntry.Source.NEWSPAPER, text=text, at=now)
        if not newspapers_outstanding(day):
            routine_item_complete(day=day, code=RoutineItem.Code.NEWSPAPERS, user=user, at=now)
    return delivery


def missing_paper_record(
    *, user: User, office: LeaderOffice, publication: Publication, copies: int, note: str = ""
) -> MissingPaper:
    """A paper of today's round that did not come for `office` (the mail room did not have it): at most the
    copies the office takes, once per office and publication a day."""
    require_worker(user)
    day = timezone.localdate()
    errors: dict[str, str] = {}
    note, note_error = _clean_text(note, NOTE_LIMIT)
    if note_error:
        errors["note"] = note_error
    with transaction.atomic():
        entry = _todays_round(day, office)
        subscribed = dict((paper.pk, number) for paper, number in entry.papers)
        if publication.pk not in subscribed:
            errors["publication"] = _("%(office)s does not take %(publication)s.") % {
                "office": office,
                "publication": publication.name,
            }
        elif any(missing.publication_id == publication.pk for missing in entry.missing):
            errors["publication"] = _("%(publication)s is already recorded as missing for %(office)s today.") % {
                "office": office,
                "publication": publication.name,
            }
        elif isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= subscribed[publication.pk]:
            errors["copies"] = _("Enter from 1 to %(max)d: the copies of %(publication)s this office takes.") % {
                "max": subscribed[publication.pk],
                "publication": publication.name,
            }
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                missing = MissingPaper.objects.create(
                    day=day, office=office, publication=publication, copies=copies, note=note, recorded_by=user
                )
        except IntegrityError:
            raise ValidationError(
                {
                    "publication": _("%(publication)s is already recorded as missing for %(office)s today.")
                    % {"office": office, "publication": publication.name}
                }
            ) from None
        with site_language():
            text = _("Missing paper for %(office)s: %(publication)s ×%(copies)d") % {
                "office": office,
                "publication": publication.name,
                "copies": copies,
            }
            if note:
                text = f"{text}{pgettext('before a note', ': ')}{note}"
        journal_write(author=user, source=JournalEntry.Source.NEWSPAPER, text=text, at=missing.recorded_at)
    return missing
