"""The monthly report's charts, drawn on the server as SVG: what each bar and column is, read back from the
image."""

import base64
import re

from huiwu.reports import charts


def _svg(data_url: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert data_url.startswith(prefix)
    return base64.b64decode(data_url[len(prefix) :]).decode()


def _bar_widths(svg: str) -> list[float]:
    """The bars' widths (the legend's squares are 12 px high, the bars BAR_HEIGHT)."""
    return [float(width) for width in re.findall(rf'width="([\d.]+)" height="{charts.BAR_HEIGHT}"', svg)]


def test_it_splits_each_level_into_its_shares_of_one_bar():
    legend = ["按时", "逾期", "未确认"]
    svg = _svg(charts.stacked_bars([("一级", [3, 1, 0])], colours=["#1", "#2", "#3"], legend=legend))
    # 450 px for the bars: three quarters on time, a quarter late, nothing for the missed.
    assert _bar_widths(svg) == [337.5, 112.5]
    assert ">一级<" in svg  # the label
    assert ">4<" in svg  # the total, right of the bar
    assert all(f">{text}<" in svg for text in legend)


def test_it_draws_the_longest_cause_across_the_plot_and_the_others_against_it():
    svg = _svg(charts.bars([("人员态度", 4), ("物品不足", 1)]))
    assert _bar_widths(svg) == [450.0, 112.5]


def test_it_colours_a_month_under_its_target_and_leaves_a_month_without_answers_empty():
    svg = _svg(
        charts.rates_against_target(
            [("2026-09", 0.96), ("2026-10", 0.9599), ("2026-11", None)], target=0.96, target_label="目标"
        )
    )
    colours = re.findall(r'height="[\d.]+" fill="(#[0-9a-f]+)"', svg)
    # At the target meets it; just under it does not; no answers: a column of no height.
    assert colours == [charts.GOOD, charts.MISSED, charts.NEUTRAL]
    assert svg.count(">96.0<") == 2  # 0.9599 reads 96.0, yet is under the line
    assert ">目标 96%<" in svg
