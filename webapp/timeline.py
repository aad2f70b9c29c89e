"""A library Timeline -> the bars and table rows the page prints, each with the URL that narrows the dates to it."""

from __future__ import annotations

import math

from . import strings
from .facets import Args, url_with_added_args

LEVELS = 20  # bar heights are quantised to classes (no inline styles under the CSP)


def bucket_label(bucket: str, start, end) -> str:
    if bucket == "day":
        return f"{start.day} {start:%b %Y}"
    if bucket == "week":
        return strings.TIMELINE_WEEK.format(day=start.day, month=f"{start:%b}", year=start.year)
    if bucket == "month":
        return f"{start:%b %Y}"
    return str(start.year)


def timeline_dict(timeline, path: str, args: Args, date_from=None, date_to=None) -> dict | None:
    """The histogram's bars, each linking to its own from/to, with its count, label and height level."""
    if timeline is None or (not timeline.bars and not timeline.undated):
        return None
    highest = max((bar.count for bar in timeline.bars), default=0)
    bars = []
    for bar in timeline.bars:
        label = bucket_label(timeline.bucket, bar.start, bar.end)
        bars.append(
            {
                "start": bar.start.isoformat(),
                "end": bar.end.isoformat(),
                "label": label,
                "count": bar.count,
                "level": math.ceil(LEVELS * bar.count / highest) if highest else 0,
                "aria_label": strings.TIMELINE_BAR.get(bar.count, strings.TIMELINE_BAR_MANY).format(
                    label=label, count=f"{bar.count:,}"
                ),
                "url": url_with_added_args(
                    path,
                    args,
                    [("from", bar.start.isoformat()), ("to", bar.end.isoformat())],
                    replace=["from", "to", "page"],
                )
                if bar.count
                else None,
                "selected": bool(date_from or date_to)
                and (date_from is None or date_from <= bar.start)
                and (date_to is None or bar.end <= date_to),
            }
        )
    return {
        "bucket": timeline.bucket,
        "heading": strings.TIMELINE_HEADING[timeline.bucket],
        "undated": timeline.undated,
        "undated_label": strings.TIMELINE_UNDATED.format(count=f"{timeline.undated:,}") if timeline.undated else None,
        "bars": bars,
    }
