"""Target status of an indicator: nådd / i rute / bak / ikke nådd, and the straight target path."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.vocab import HIGHER_IS_BETTER, TargetKind, TargetStatus


@dataclass(frozen=True)
class Evaluation:
    """An indicator against its target: status, latest value, the goal and the path to it."""

    status: str
    latest_year: int | None
    latest_value: float | None
    goal_value: float | None  # the number to reach (growth targets made absolute)
    path_start: tuple[int, float] | None  # the straight path from here …
    path_end: tuple[int, float] | None  # … to here


def _clean(series: list[tuple[int, float | None]]) -> list[tuple[int, float]]:
    return sorted(
        (int(y), float(v))
        for y, v in series
        if y is not None and v is not None and not (isinstance(v, float) and math.isnan(v))
    )


def evaluate(
    series: list[tuple[int, float | None]],
    kind: str | None,
    target: float | None,
    baseline_year: int | None = None,
    target_year: int | None = None,
) -> Evaluation:
    """Judge an indicator's latest value against its target and the straight path to it."""
    points = _clean(series)
    latest = points[-1] if points else None
    if kind is None or target is None or (isinstance(target, float) and math.isnan(target)):
        return Evaluation(
            TargetStatus.NO_TARGET if points else TargetStatus.NO_DATA,
            *(latest or (None, None)),
            None,
            None,
            None,
        )
    if not points:
        return Evaluation(
            TargetStatus.NO_DATA,
            None,
            None,
            None if kind == TargetKind.GROWTH else target,
            None,
            None,
        )
    start = points[0]
    goal = target
    if kind == TargetKind.GROWTH:
        base = dict(points).get(int(baseline_year)) if baseline_year else None
        if base is None:
            return Evaluation(TargetStatus.NO_DATA, *latest, None, None, None)
        goal = base * (1 + target)
        start = (int(baseline_year), base)
    higher_is_better = kind in HIGHER_IS_BETTER

    def meets(value: float, bar: float) -> bool:
        return value >= bar - 1e-9 if higher_is_better else value <= bar + 1e-9

    end = (int(target_year), goal) if target_year else None
    if meets(latest[1], goal):
        status = TargetStatus.REACHED
    elif target_year and latest[0] >= int(target_year):
        status = TargetStatus.MISSED
    elif end and end[0] > start[0]:
        share = (latest[0] - start[0]) / (end[0] - start[0])
        expected = start[1] + share * (goal - start[1])
        status = TargetStatus.ON_TRACK if meets(latest[1], expected) else TargetStatus.BEHIND
    else:
        status = TargetStatus.BEHIND
    return Evaluation(status, latest[0], latest[1], goal, start if end else None, end)
