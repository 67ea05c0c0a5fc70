"""Rows of a page polled or opened all day (the today board, the room timeline), rendered once per content.

Such a page lists hundreds of rows, and Django's template engine costs some 40 µs a row even when the row is
only strings placed in markup. Its view therefore reduces each row to its cells — every string and flag the
row shows, already formatted and translated — as a tuple, and renders the row's template from that tuple:
the same cells in the same language always read the same, so a row is rendered once per process and the
polls that follow (every 30 s, on every screen) find it ready. A row whose cells change in any way is simply
another row; nothing has to be invalidated.
"""

from datetime import datetime
from functools import lru_cache

from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Distinct rows kept rendered per process: a few busy days in both languages, a few megabytes.
ROWS_KEPT = 8192


@lru_cache(maxsize=ROWS_KEPT)
def _rendered(template_name: str, language: str | None, cells: tuple) -> str:
    return get_template(template_name).render({"row": dict(cells)})


def rows_html(template_name: str, rows: list[tuple]) -> SafeString:
    """The rows rendered by `template_name`, which reads each row's cells as `row.<name>`; each row is a
    tuple of (name, value) pairs whose values are hashable (strings, numbers, flags, tuples of those)."""
    language = get_language()
    html = "".join(_rendered(template_name, language, cells) for cells in rows)
    return mark_safe(html)  # noqa: S308 -- each row was rendered, and escaped, by the template engine


class WallClock:
    """Wall-clock times ("09:30") in the current time zone, each converted and formatted once per render: a
    page of rows shows the same times many times over."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.texts: dict[datetime, str] = {}

    def hm(self, moment: datetime) -> str:
        text = self.texts.get(moment)
        if text is None:
            text = self.texts[moment] = moment.astimezone(self.zone).strftime("%H:%M")
        return text
