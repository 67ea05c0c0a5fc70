"""The year's subscription table as an Excel workbook, laid out as the paper table (and as the import reads
it back): leaders down the first column in precedence order, publications across the first row, copies in the
cells, a totals row at the foot."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from huiwu.lib.xlsx import text_cell, xlsx_response
from huiwu.reception.selectors.newspapers import SubscriptionTable, leader_column_label, total_label


def subscriptions_xlsx_response(table: SubscriptionTable) -> HttpResponse:
    # Column widths in characters, a Chinese character counting as two.
    headers = [(leader_column_label(), 14)]
    headers += [(publication.name, max(8, len(publication.name) * 2 + 2)) for publication in table.publications]
    lines = [(leader.name, [copies for _publication, copies in cells]) for leader, cells in table.rows] + [
        (total_label(), table.total_row)
    ]

    def cells(sheet, line) -> list:
        name, copies = line
        # Numbers stay numbers: the workbook is summed and re-imported as it is.
        return [text_cell(sheet, name), *copies]

    return xlsx_response(
        title=_("Subscriptions %(year)d") % {"year": table.year},
        headers=headers,
        rows=lines,
        row_cells=cells,
        filename=_("subscription-table-%(year)d.xlsx") % {"year": table.year},
    )
