"""The monthly report's charts as SVG images, drawn on the server: a PDF runs no JavaScript, so ECharts cannot
draw them there. Each function works out the geometry and `reports/charts/*.svg` draws it; the result is a
data: URL, the only kind of address the PDF renderer reads (lib/pdf.py)."""

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string

# The colours of the dashboard's charts (static/huiwu/reports.js), so that both read alike.
GOOD, LATE, MISSED, NEUTRAL, TARGET = "#198754", "#fd7e14", "#dc3545", "#0d6efd", "#6c757d"

WIDTH = 640
LABEL_WIDTH = 130  # the names left of horizontal bars
BAR_HEIGHT = 22
GAP = 10


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    text: str  # written inside the segment when it is wide enough, else nothing


@dataclass(frozen=True)
class BarRow:
    y: float
    label: str
    segments: list[Segment]
    total: str  # written right of the bar
    end: float  # where the bar ends

    @property
    def text_y(self) -> float:
        return self.y + 16


@dataclass(frozen=True)
class LegendEntry:
    x: float
    colour: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + 16


def _data_url(template: str, context: dict) -> str:
    svg = render_to_string(template, context)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def stacked_bars(rows: list[tuple[str, list[int]]], *, colours: list[str], legend: list[str]) -> str:
    """One horizontal bar per row, split into its counts (in `colours`), each as its share of the row's total:
    the three-level check's on time, late and missed per level."""
    plot = WIDTH - LABEL_WIDTH - 60
    lines = []
    for index, (label, counts) in enumerate(rows):
        total = sum(counts)
        x = float(LABEL_WIDTH)
        segments = []
        for count, colour in zip(counts, colours, strict=True):
            width = plot * count / total if total else 0
            if width:
                segments.append(Segment(x, width, colour, str(count) if width >= 24 else ""))
            x += width
        lines.append(BarRow(index * (BAR_HEIGHT + GAP), label, segments, str(total), x))
    height = len(rows) * (BAR_HEIGHT + GAP) + 30
    legend_y = height - 4
    entries = [
        LegendEntry(LABEL_WIDTH + 120 * index, colour, text)
        for index, (colour, text) in enumerate(zip(colours, legend, strict=True))
    ]
    return _data_url(
        "reports/charts/bars.svg",
        {
            "width": WIDTH,
            "height": height,
            "rows": lines,
            "bar_height": BAR_HEIGHT,
            "legend": entries,
            "legend_y": legend_y,
            "legend_box_y": legend_y - 10,
            "label_x": LABEL_WIDTH - 8,
        },
    )


def bars(rows: list[tuple[str, int]], *, colour: str = NEUTRAL) -> str:
    """One horizontal bar per row, as long as its count against the largest: complaints by cause."""
    most = max((count for _label, count in rows), default=0)
    plot = WIDTH - LABEL_WIDTH - 60
    lines = []
    for index, (label, count) in enumerate(rows):
        width = plot * count / most if most else 0
        segment = Segment(float(LABEL_WIDTH), width, colour, "")
        lines.append(BarRow(index * (BAR_HEIGHT + GAP), label, [segment], str(count), LABEL_WIDTH + width))
    return _data_url(
        "reports/charts/bars.svg",
        {
            "width": WIDTH,
            "height": len(rows) * (BAR_HEIGHT + GAP),
            "rows": lines,
            "bar_height": BAR_HEIGHT,
            "legend": [],
            "label_x": LABEL_WIDTH - 8,
        },
    )


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    colour: str

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


def rates_against_target(months: list[tuple[str, float | None]], *, target: float, target_label: str) -> str:
    """One column per month, as high as its rate (a share), with the target as a dashed line across; a
    column under the target is drawn in the missed colour, a month without answers has none."""
    height, top, bottom, left = 220, 20, 30, 40
    plot_height = height - top - bottom
    rates = [rate for _label, rate in months if rate is not None]
    # The scale starts low enough to show the lowest month and the target, at a round ten per cent.
    floor = min([0.8, target, *rates])
    floor = int(floor * 10) / 10
    step = (WIDTH - left - 10) / max(len(months), 1)

    def y_of(share: float) -> float:
        return top + plot_height * (1 - (share - floor) / (1 - floor))

    columns = []
    for index, (label, rate) in enumerate(months):
        x = left + index * step + step * 0.2
        if rate is None:
            columns.append(Column(x, y_of(floor), step * 0.6, 0, label, "", NEUTRAL))
            continue
        y = y_of(rate)
        colour = GOOD if rate >= target else MISSED
        columns.append(Column(x, y, step * 0.6, y_of(floor) - y, label, f"{rate * 100:.1f}", colour))
    ticks = [(y_of(share), f"{share * 100:.0f}%") for share in _ticks(floor)]
    return _data_url(
        "reports/charts/columns.svg",
        {
            "width": WIDTH,
            "height": height,
            "columns": columns,
            "ticks": ticks,
            "left": left,
            "tick_x": left - 4,
            "right": WIDTH - 10,
            "target_y": y_of(target),
            "target_text_y": y_of(target) - 4,
            "target": f"{target_label} {target * 100:.0f}%",
            "baseline": y_of(floor),
            "label_y": height - 10,
            "target_colour": TARGET,
        },
    )


def _ticks(floor: float) -> list[float]:
    tenths = range(round(floor * 10), 11)
    return [tenth / 10 for tenth in tenths]
