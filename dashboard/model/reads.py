"""Reading many units at one event with one query each: the query function `summary --json`
hands to every unit's view. A query of `PER_UNIT` runs once for all units and is cut per unit
(and per plan, round or version asked for); one of `CUT_BY`, asked for a unit, is its rows for
every unit ($unit null) cut by its own rule; any other query runs once per distinct parameters.
It lives as long as the one summary that made it, so nothing it holds outlives its event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dashboard.model.pin import Query

# Queries whose rows carry the columns of their filters, each filter written
# «$x is null or col = $x», so the rows for a unit are the rows of all units cut by the unit.
# The column $unit filters is `unit` unless UNIT_COLUMN names another.
PER_UNIT: dict[str, tuple[str, ...]] = {
    "plan_summary": ("unit",),
    "prognosis_versions": ("unit",),
    "prognosis_lines": ("unit", "label"),
    "multiyear_plan": ("unit", "label"),
    "measure_status": ("unit", "plan", "round"),
    "indicator_series": ("unit",),
    "economy_costs": ("unit",),
    "economy_fte": ("unit",),
    "economy_grants": ("unit",),
    "economy_income": ("unit",),
    "economy_space": ("unit",),
    "resource_plans": ("unit",),
}
UNIT_COLUMN = {"economy_fte": "parent_unit", "economy_income": "parent_unit"}


def _with_peers(rows: pd.DataFrame, unit: str) -> np.ndarray:
    """peer_values: the unit's own rows and the peers' (`peer`), which every unit is compared with."""
    return (rows["unit"] == unit).to_numpy(bool) | rows["peer"].to_numpy(bool)


def _asking(rows: pd.DataFrame, unit: str) -> np.ndarray:
    """rounds: the rounds whose `asked` (the units a round is for) holds the unit."""
    return np.array([unit in list(asked) for asked in rows["asked"]], dtype=bool)


# Queries whose rows for every unit ($unit null) hold those of each unit, found by a rule of the
# query's own (its filter on $unit, written over the columns it returns).
CUT_BY: dict[str, Callable[[pd.DataFrame, str], np.ndarray]] = {
    "peer_values": _with_peers,
    "rounds": _asking,
}


def _typing(frame: pd.DataFrame) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A function typing rows cut from `frame` as DuckDB types them when they are the whole
    result: a nullable integer or boolean column without a missing value is a plain NumPy one,
    and a text column without any text holds objects (None). Only the columns that can need it
    are looked at: text columns with a missing value in `frame` (all of them in an empty cut),
    and nullable integer and boolean ones."""
    texts = [c for c, d in frame.dtypes.items() if isinstance(d, pd.StringDtype)]
    gaps = [c for c in texts if frame[c].isna().any()]
    numbers = [
        (c, d.numpy_dtype)
        for c, d in frame.dtypes.items()
        if not isinstance(d, pd.StringDtype)
        and isinstance(d, pd.api.extensions.ExtensionDtype)
        and d.kind in "iub"
    ]

    def alone(rows: pd.DataFrame) -> pd.DataFrame:
        rows = rows.reset_index(drop=True)
        for column in gaps if len(rows) else texts:
            if rows[column].isna().all():
                rows[column] = pd.Series([None] * len(rows), dtype=object)
        for column, dtype in numbers:
            if not rows[column].isna().any():
                rows[column] = rows[column].to_numpy(dtype=dtype)
        return rows

    return alone


def shared(q: Query) -> Query:
    """`q`, reading each query once for every unit at the event it is asked for."""
    whole: dict[tuple, tuple[pd.DataFrame, dict, Callable]] = {}
    once: dict[tuple, pd.DataFrame] = {}

    def all_units(name: str, rest: tuple, by: str | None, **unit: None) -> tuple:
        """The query's rows for every unit, grouped by the column `by`, and their typing."""
        if (name, rest) not in whole:
            frame = q(name, **unit, **dict(rest))
            groups = {} if by is None else dict(iter(frame.groupby(by, sort=False, dropna=False)))
            whole[(name, rest)] = frame, groups, _typing(frame)
        return whole[(name, rest)]

    def read(name: str, **params: Any) -> pd.DataFrame:
        unit = params.get("unit")
        if name in CUT_BY and unit is not None:
            rest = tuple(sorted((k, v) for k, v in params.items() if k != "unit"))
            frame, _, alone = all_units(name, rest, None, unit=None)
            return alone(frame[CUT_BY[name](frame, unit)])
        keys = PER_UNIT.get(name)
        if keys is None:
            key = (name, tuple(sorted(params.items())))
            if key not in once:
                once[key] = q(name, **params)
            return once[key].copy()
        rest = tuple(sorted((k, v) for k, v in params.items() if k not in keys))
        frame, groups, alone = all_units(
            name, rest, UNIT_COLUMN.get(name, "unit"), **dict.fromkeys(keys)
        )
        cut = frame if unit is None else groups.get(unit, frame.iloc[0:0])
        for k in keys[1:]:
            if params.get(k) is not None:
                cut = cut[cut[k] == params[k]]
        return cut.copy() if cut is frame else alone(cut)

    return read
