"""Reading many units at one event with one query each: the query function `summary --json`
hands to every unit's view. A query of `PER_UNIT` runs once for all units and is cut per unit
(and per plan, round or version asked for); one of `BY_UNIT`, asked for a unit, is answered by
its query for every unit, cut by `for_unit`; any other query runs once per distinct parameters.
It lives as long as the one summary that made it, so nothing it holds outlives its event."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.model.pin import Query

# Queries whose rows carry the columns of their filters, each filter written
# «$x is null or col = $x», so the rows for a unit are the rows of all units cut by the unit.
PER_UNIT: dict[str, tuple[str, ...]] = {
    "plan_summary": ("unit",),
    "prognosis_versions": ("unit",),
    "prognosis_lines": ("unit", "label"),
    "multiyear_plan": ("unit", "label"),
    "measure_status": ("unit", "plan", "round"),
    "indicator_series": ("unit",),
}

# Queries that read one unit (`$unit` not null); each has a twin for every unit at once with the
# same columns after a first column `for_unit` (the $unit a row answers for), ordered by it and
# then as the one-unit query. Asked for every unit (`$unit` null), the query itself runs.
BY_UNIT: dict[str, str] = {
    "economy_costs": "economy_costs_by_unit",
    "economy_fte": "economy_fte_by_unit",
    "economy_grants": "economy_grants_by_unit",
    "economy_income": "economy_income_by_unit",
    "economy_space": "economy_space_by_unit",
    "resource_plans": "resource_plans_by_unit",
    "rounds": "rounds_by_unit",
}


def _as_if_alone(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows cut from a larger result, typed as DuckDB types them when they are the whole result:
    a nullable integer or boolean column without a missing value is a plain NumPy one, and a
    text column without any text holds objects (None)."""
    rows = rows.reset_index(drop=True)
    for column, dtype in rows.dtypes.items():
        if isinstance(dtype, pd.StringDtype):
            if rows[column].isna().all():
                rows[column] = pd.Series([None] * len(rows), dtype=object)
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub":
            if not rows[column].isna().any():
                rows[column] = rows[column].to_numpy(dtype=dtype.numpy_dtype)
    return rows


def shared(q: Query) -> Query:
    """`q`, reading each query once for every unit at the event it is asked for."""
    whole: dict[tuple, tuple[pd.DataFrame, dict]] = {}
    once: dict[tuple, pd.DataFrame] = {}

    def all_units(name: str, keys: tuple[str, ...], rest: tuple) -> tuple[pd.DataFrame, dict]:
        if (name, rest) not in whole:
            frame = q(name, **dict.fromkeys(keys), **dict(rest))
            groups = dict(iter(frame.groupby(list(keys[:1]), sort=False, dropna=False)))
            whole[(name, rest)] = frame, groups
        return whole[(name, rest)]

    def by_unit(name: str, unit: str, rest: tuple) -> pd.DataFrame:
        if (name, rest) not in whole:
            frame = q(name, **dict(rest))
            groups = dict(iter(frame.groupby("for_unit", sort=False)))
            whole[(name, rest)] = frame.drop(columns="for_unit"), groups
        frame, groups = whole[(name, rest)]
        mine = groups.get(unit)
        return frame.iloc[0:0] if mine is None else mine.drop(columns="for_unit")

    def read(name: str, **params: Any) -> pd.DataFrame:
        if name in BY_UNIT and params.get("unit") is not None:
            rest = tuple(sorted((k, v) for k, v in params.items() if k != "unit"))
            return _as_if_alone(by_unit(BY_UNIT[name], params["unit"], rest))
        keys = PER_UNIT.get(name)
        if keys is None:
            key = (name, tuple(sorted(params.items())))
            if key not in once:
                once[key] = q(name, **params)
            return once[key].copy()
        rest = tuple(sorted((k, v) for k, v in params.items() if k not in keys))
        frame, groups = all_units(name, keys, rest)
        if params.get("unit") is None:
            cut = frame
        else:
            cut = groups.get((params["unit"],), frame.iloc[0:0])
        for k in keys[1:]:
            if params.get(k) is not None:
                cut = cut[cut[k] == params[k]]
        return cut.copy() if cut is frame else _as_if_alone(cut)

    return read
