"""A year's stories per month, by topic: a small bar chart in inline SVG, with its numbers as a table.

No script and nothing from another host: the chart is markup in the page,
drawn from counts. Its text alternative is a sentence (the SVG's title and
description, which screen readers announce) and the table of every number,
under a disclosure.
"""

from __future__ import annotations

from html import escape

from .dates import MONTHS
from .model import Item

# Bars of distinct hue and lightness, readable on light and dark backgrounds alike.
_COLOURS = ("#2f6db5", "#c2571a", "#3c8f4a", "#8a4fb0", "#9a7a12")
_WIDTH, _HEIGHT, _TOP, _BOTTOM, _LEFT = 600, 180, 24, 22, 28


class Series:
    """One row of bars: a label, and which stories it counts."""

    def __init__(self, label: str, topic: str | None) -> None:
        self.label, self.topic = label, topic  # topic None: every story

    def counts(self, stories: list[Item]) -> list[int]:
        months = [0] * 12
        for story in stories:
            if self.topic is None or self.topic in story.topics:
                months[story.day.month - 1] += 1
        return months


def _plural(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"


def chart(year: int, stories: list[Item], series: list[Series], key: str) -> str:
    """The figure of `stories` (all of `year`) per month, a bar per series; `key` makes its ids unique."""
    counts = [s.counts(stories) for s in series]
    highest = max((n for row in counts for n in row), default=0) or 1
    slot = (_WIDTH - _LEFT) / 12
    bar = (slot - 6) / len(series)
    scale = (_HEIGHT - _TOP - _BOTTOM) / highest
    shapes = [
        f'<line x1="{_LEFT}" y1="{_HEIGHT - _BOTTOM}" x2="{_WIDTH}" y2="{_HEIGHT - _BOTTOM}" stroke="currentColor"/>',
        f'<text x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end">{highest}</text>',
    ]
    for month in range(12):
        x = _LEFT + month * slot + 3
        shapes.append(
            f'<text x="{x + (slot - 6) / 2:.1f}" y="{_HEIGHT - 6}" text-anchor="middle">{MONTHS[month][0]}</text>'
        )
        for n, row in enumerate(counts):
            if row[month]:
                height = row[month] * scale
                shapes.append(
                    f'<rect x="{x + n * bar:.1f}" y="{_HEIGHT - _BOTTOM - height:.1f}" width="{bar:.1f}"'
                    f' height="{height:.1f}" fill="{_COLOURS[n % len(_COLOURS)]}"/>'
                )
    busiest = max(range(12), key=lambda m: counts[0][m])
    summary = (
        f"{_plural(len(stories))} in {year}"
        + (f"; the most in {MONTHS[busiest][-1]} ({counts[0][busiest]})" if stories else "")
        + "".join(f"; {s.label}: {sum(row)}" for s, row in zip(series[1:], counts[1:], strict=True))
        + "."
    )
    legend = "".join(
        f'<li><span class="swatch" style="background:{_COLOURS[n % len(_COLOURS)]}"></span>{escape(s.label)}</li>'
        for n, s in enumerate(series)
    )
    head = "".join(f'<th scope="col">{escape(s.label)}</th>' for s in series)
    rows = "".join(
        f'<tr><th scope="row">{MONTHS[month][-1]}</th>' + "".join(f"<td>{row[month]}</td>" for row in counts) + "</tr>"
        for month in range(12)
    )
    return f"""<figure class="chart">
<svg viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-labelledby="{key}-title {key}-desc" font-size="11">
<title id="{key}-title">Stories per month in {year}</title>
<desc id="{key}-desc">{escape(summary)}</desc>
{"".join(shapes)}
</svg>
<figcaption><ul class="legend">{legend}</ul></figcaption>
<details><summary>The chart's numbers</summary>
<table><thead><tr><th scope="col">Month</th>{head}</tr></thead><tbody>{rows}</tbody></table>
</details>
</figure>"""
