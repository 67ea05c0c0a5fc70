"""The dashboard's figures as a workbook: a sheet per table of the page, with the same figures, named by the
period (报表-20261101-20261130.xlsx)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiwu.lib.xlsx import Sheet, text_cell, workbook_response
from huiwu.reports.figures import OPEN_CAUSE_LABEL, Figures


def _cells(values):
    """A sheet's row maker from `values(obj)`: text as text cells (never a formula), numbers as numbers."""

    def row(sheet, obj):
        return [text_cell(sheet, value) if isinstance(value, str) else value for value in values(obj)]

    return row


def _share(value: float | None) -> float | str:
    return "" if value is None else value


def figures_workbook(found: Figures) -> HttpResponse:
    sheets = [
        Sheet(
            _("Rooms"),
            [
                (_("Site"), 14),
                (_("Room"), 16),
                (_("Meetings"), 10),
                (_("Hours"), 10),
                (_("Open hours"), 12),
                (_("Utilisation"), 12),
            ],
            found.rooms,
            _cells(lambda r: (r.site, r.room, r.meetings, r.hours, r.open_hours, _share(r.utilisation))),
        ),
        Sheet(
            _("Utilisation by hour"),
            [(_("Room"), 16), *((f"{hour:02d}:00", 8) for hour in found.heat.hours)],
            found.heat.rooms,
            _cells(lambda row: (row.room, *(_share(share) for share in row.utilisation))),
        ),
        Sheet(
            _("Organizers"),
            [(_("Organizer"), 24), (_("Meetings"), 10), (_("Hours"), 10)],
            found.organizers,
            _cells(lambda o: (o.organizer, o.meetings, o.hours)),
        ),
        Sheet(
            _("Three-level check"),
            [
                (_("Level"), 10),
                (pgettext("report", "On time"), 10),
                (pgettext("report", "Late"), 10),
                (pgettext("report", "Missed"), 10),
            ],
            found.checks,
            _cells(lambda c: (c.label, c.on_time, c.late, c.missed)),
        ),
        Sheet(
            _("Satisfaction"),
            [(_("Month"), 10), (_("Answers"), 10), (_("Satisfied"), 10), (_("Rate"), 10)],
            found.satisfaction.months,
            _cells(lambda m: (f"{m.month:%Y-%m}", m.answers, m.satisfied, _share(m.rate))),
        ),
        Sheet(
            _("Satisfaction by item"),
            [
                (pgettext("survey", "Item"), 12),
                (_("Answers"), 10),
                (_("Satisfied (4–5)"), 12),
                (_("Rate"), 10),
                (_("Average"), 10),
            ],
            found.satisfaction_by_item,
            _cells(lambda i: (i.label, i.answers, i.satisfied, _share(i.rate), _share(i.average))),
        ),
        Sheet(
            _("Complaints by cause"),
            [(_("Cause"), 20), (_("Complaints"), 10)],
            found.complaints_by_cause,
            _cells(lambda c: (c.cause or str(OPEN_CAUSE_LABEL), c.complaints)),
        ),
    ]
    if found.staff is not None:
        sheets.append(
            Sheet(
                _("Staff"),
                [(_("Name"), 14), (_("Meetings"), 10), (_("Hours"), 10)],
                found.staff,
                _cells(lambda s: (s.name, s.meetings, s.hours)),
            )
        )
    filters = found.filters
    return workbook_response(sheets, filename=f"报表-{filters.first:%Y%m%d}-{filters.last:%Y%m%d}.xlsx")
