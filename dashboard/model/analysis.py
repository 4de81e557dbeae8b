"""Derived figures for the pages: changes between versions, overdue measures, budget drivers,
derived indicators. Pure functions on DataFrames (no Streamlit), so they are unit-tested."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard import vocab
from dashboard.model.indicators import evaluate

DETAIL_GROUPS = ("income", "cost")


def _level(row: pd.Series) -> float | None:
    return vocab.level(row.get("score"), row.get("category"))


@dataclass
class StatusChanges:
    """Measures whose status rose or fell since the previous round, and the new and dropped ones."""

    rose: pd.DataFrame
    fell: pd.DataFrame
    new: pd.DataFrame
    dropped: pd.DataFrame

    @cached_property
    def count(self) -> int:
        """How many measures changed in all."""
        return len(self.rose) + len(self.fell) + len(self.new) + len(self.dropped)

    @cached_property
    def groups(self) -> list[tuple[str, str, pd.DataFrame]]:
        """Oversikt's four lists: (what, «what: how many», the measures), risen first."""
        named = (
            ("↑ Status steg", self.rose),
            ("↓ Status falt", self.fell),
            ("+ Nye tiltak", self.new),
            ("− Tatt ut av planen", self.dropped),
        )
        return [(head, f"{head}: {len(frame)}", frame) for head, frame in named]


def counts_by_area(measures: pd.DataFrame) -> pd.DataFrame:
    """Measures per area, score and category, areas in the order of the report."""
    counts = (
        measures.groupby(["area", "score", "category"], dropna=False)
        .size()
        .reset_index(name="measures")
    )
    order = measures["area"].drop_duplicates().tolist()
    counts["area"] = pd.Categorical(counts["area"], categories=order, ordered=True)
    counts = counts.sort_values("area")
    counts["area"] = counts["area"].astype(str)
    return counts


def status_changes(previous: pd.DataFrame, current: pd.DataFrame) -> StatusChanges:
    """Compare two reporting rounds of a plan (columns measure_key, title, score, category)."""
    cols = ["measure_key", "title", "area", "score", "category"]
    prev = previous[[c for c in cols if c in previous]].copy()
    curr = current[[c for c in cols if c in current]].copy()
    prev["level"] = prev.apply(_level, axis=1) if len(prev) else []
    curr["level"] = curr.apply(_level, axis=1) if len(curr) else []
    both = curr.merge(prev, on="measure_key", suffixes=("", "_før"))
    moved = both.dropna(subset=["level", "level_før"])
    rose = moved[moved.level > moved.level_før]
    fell = moved[moved.level < moved.level_før]
    new = curr[~curr.measure_key.isin(prev.measure_key)]
    dropped = prev[~prev.measure_key.isin(curr.measure_key)]
    keep = ["title", "area", "score_før", "category_før", "score", "category"]
    return StatusChanges(
        rose[[c for c in keep if c in rose]],
        fell[[c for c in keep if c in fell]],
        new[["title", "area", "score", "category"]],
        dropped[["title", "area", "score", "category"]],
    )


def prognosis_moves(
    previous: pd.DataFrame, current: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """Lines whose prognosis moved more than `threshold` (1000 kr) between two versions."""
    merged = current[["line", "line_order", "prognosis"]].merge(
        previous[["line", "prognosis"]], on="line", how="outer", suffixes=("", "_før")
    )
    merged["endring"] = merged["prognosis"].fillna(0) - merged["prognosis_før"].fillna(0)
    moved = merged[merged["endring"].abs() > threshold]
    return moved.sort_values("line_order", na_position="last")


def overdue(measures: pd.DataFrame, today: dt.date) -> pd.Series:
    """True where the planned end date has passed and the measure is not completed."""
    if measures.empty:
        return pd.Series(dtype=bool)
    ends = pd.to_datetime(measures["period_end"], errors="coerce")
    done = pd.Series(
        [vocab.is_done(s, c) for s, c in zip(measures["score"], measures["category"], strict=True)],
        index=measures.index,
    )
    return (ends < pd.Timestamp(today)).fillna(False) & ~done


def waterfall_steps(lines: pd.DataFrame, max_steps: int = 7) -> pd.DataFrame:
    """Steps from the budgeted result to the prognosis result: one per detail line (its effect on
    the result, the line's `effect` column: − the deviation, printed where the workbook printed
    one), largest effect first; the rest grouped as «Andre linjer». Columns: label, effect."""
    detail = lines[lines["line_group"].isin(DETAIL_GROUPS) | lines["line_group"].isna()].copy()
    detail = detail[detail["effect"].abs() > 0.5]
    detail = detail.reindex(detail["effect"].abs().sort_values(ascending=False).index)
    steps = detail[["line", "effect"]].rename(columns={"line": "label"})
    if len(steps) > max_steps:
        rest = steps.iloc[max_steps - 1 :]
        steps = pd.concat(
            [
                steps.iloc[: max_steps - 1],
                pd.DataFrame(
                    [{"label": f"Andre linjer ({len(rest)})", "effect": rest["effect"].sum()}]
                ),
            ]
        )
    return steps.reset_index(drop=True)


def result_of(lines: pd.DataFrame, column: str) -> float | None:
    """The result: the «Resultat» line, else Inntekt + Kostnad, else the sum of ledger lines."""
    if lines.empty:
        return None
    names = lines["line"].tolist()
    if "Resultat" in names:
        value = lines[column].iloc[names.index("Resultat")]
        if pd.notna(value):
            return float(value)
    if {"Inntekt", "Kostnad"} <= set(names):
        return float(lines[lines["line"].isin(["Inntekt", "Kostnad"])][column].sum())
    ledger = lines[lines["line_group"].isna()]
    return (
        float(ledger[column].sum()) if not ledger.empty and ledger[column].notna().any() else None
    )


def salary_share(lines: pd.DataFrame) -> dict[str, float]:
    """Lønnsandel: Lønn as a share of total costs (the «Kostnad» line, i.e. the unit's total BFV
    budget), for budget and prognosis. Empty when either line is missing."""
    by = lines.set_index("line")
    out = {}
    if "Lønn" in by.index and "Kostnad" in by.index:
        for col in ("budget", "prognosis"):
            salary, total = by.at["Lønn", col], by.at["Kostnad", col]
            if pd.notna(salary) and pd.notna(total) and total:
                out[col] = abs(float(salary)) / abs(float(total))
    return out


def indicator_table(series: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: latest value, target, status, and the straight path to the target."""
    rows = []
    for (unit, name), group in series.groupby(["unit", "indicator"], sort=False):
        first = group.iloc[0]
        kind = first["kind"] if pd.notna(first["kind"]) else None
        target = float(first["target"]) if pd.notna(first["target"]) else None
        baseline = int(first["baseline_year"]) if pd.notna(first["baseline_year"]) else None
        target_year = int(first["target_year"]) if pd.notna(first["target_year"]) else None
        points = [
            (int(y), float(v))
            for y, v in zip(group["year"], group["value"], strict=True)
            if pd.notna(y) and pd.notna(v)
        ]
        ev = evaluate(points, kind, target, baseline, target_year)
        rows.append(
            {
                "unit": unit,
                "indicator": name,
                "area": first.get("area"),
                "kind": kind,
                "target": target,
                "baseline_year": baseline,
                "target_year": target_year,
                "measure_unit": first.get("measure_unit"),
                "points": points,
                "status": ev.status,
                "latest_year": ev.latest_year,
                "latest_value": ev.latest_value,
                "goal": ev.goal_value,
                "path_start": ev.path_start,
                "path_end": ev.path_end,
            }
        )
    return pd.DataFrame(rows)


def _applicants(name: str) -> bool:
    """First-choice applicants: «Førstevalgssøkere, MTIØT», «Primærsøkere» (not per place)."""
    return name.startswith("førstevalgssøkere") or (
        name.startswith(("primærsøkere", "antall primærsøkere")) and " per " not in name
    )


def derived_indicators(series: pd.DataFrame, budgets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Indicators computed, not typed: lønnsandel from the prognosis lines (named like the unit's
    own lønnsandel target if it has one), and ratios such as primærsøkere per studieplass =
    Førstevalgssøkere / Studieplasser."""
    rows = []
    for unit, lines in budgets.items():
        share = salary_share(lines)
        year = int(lines["year"].iloc[0]) if "year" in lines and len(lines) else None
        mine = (
            series[series["unit"] == unit]["indicator"].dropna().unique()
            if not series.empty
            else []
        )
        name = next(
            (n for n in mine if n.lower().startswith("lønnsandel")), "Lønnsandel (beregnet)"
        )
        key = "prognosis" if "prognosis" in share else "budget"
        if key in share and year:
            rows.append(
                {
                    "unit": unit,
                    "indicator": name,
                    "year": year,
                    "value": share[key] * 100,
                    "source": f"Beregnet: Lønn / Kostnad i BFV-{'prognosen' if key == 'prognosis' else 'budsjettet'}",
                    "derived_unit": "prosent",
                }
            )
    rows.extend(_ratios(series))
    return pd.DataFrame(
        rows, columns=["unit", "indicator", "year", "value", "source", "derived_unit"]
    )


def _per_unit(series: pd.DataFrame) -> dict[str, list[tuple[str, object, float]]]:
    """(indicator, year, value) of each unit, units sorted, rows in the series' order."""
    out: dict[str, list[tuple[str, object, float]]] = {}
    columns = (series[c].tolist() for c in ("unit", "indicator", "year", "value"))
    for unit, name, year, value in zip(*columns, strict=True):
        if pd.notna(unit):
            out.setdefault(unit, []).append((name, year, value))
    return dict(sorted(out.items()))


def _ratios(series: pd.DataFrame) -> list[dict]:
    """Primærsøkere per studieplass = Førstevalgssøkere / Studieplasser, per unit and year,
    where a unit has both and not the ratio itself."""
    rows = []
    for unit, group in _per_unit(series).items():
        names = {n.lower(): n for n in dict.fromkeys(n for n, _, _ in group if pd.notna(n))}
        apps = next((names[n] for n in names if _applicants(n)), None)
        with_values = {n.lower() for n, _, v in group if pd.notna(v)}
        typed = any(  # the ratio itself is in the data: nothing to compute
            n.startswith("primærsøkere per studieplass") and "beregnet" not in n
            for n in with_values
        )
        places = next((names[n] for n in names if n.startswith("studieplasser")), None)
        target = next(
            (names[n] for n in names if n.startswith("primærsøkere per studieplass (beregnet)")),
            None,
        )
        if not (apps and places and not typed):
            continue
        a = {y: v for n, y, v in group if n == apps}
        p = {y: v for n, y, v in group if n == places}
        both = {y for y, v in a.items() if pd.notna(v)} & {y for y, v in p.items() if pd.notna(v)}
        for year in sorted(both):
            if p[year]:
                rows.append(
                    {
                        "unit": unit,
                        "indicator": target or "Primærsøkere per studieplass (beregnet)",
                        "year": int(year),
                        "value": float(a[year]) / float(p[year]),
                        "source": f"Beregnet: {apps} / {places}",
                        "derived_unit": "søkere per plass",
                    }
                )
    return rows


def growth_vs_baseline(
    points: list[tuple[int, float]], baseline_year: int
) -> list[tuple[int, float]]:
    """Growth in % relative to the baseline year's value."""
    base = dict(points).get(baseline_year)
    if not base:
        return []
    return [(year, (value / base - 1) * 100) for year, value in points]


def with_derived(series: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """Add derived values to the series, taking each indicator's definition (target, kind) along."""
    if derived.empty:
        return series
    defs = series.drop(columns=["year", "value", "source"]).drop_duplicates(["unit", "indicator"])
    extra = derived.merge(defs, on=["unit", "indicator"], how="left")
    extra["measure_unit"] = extra["measure_unit"].fillna(extra.pop("derived_unit"))
    base = series[
        ~(
            series["year"].isna()
            & series.set_index(["unit", "indicator"]).index.isin(
                derived.set_index(["unit", "indicator"]).index
            )
        )
    ]
    return pd.concat([base, extra], ignore_index=True).sort_values(["unit", "indicator", "year"])


def rounds_around(
    plans: pd.DataFrame, plan: str, round_: str | None
) -> tuple[pd.Series | None, pd.Series | None]:
    """The chosen reporting round of a plan (newest when none is chosen) and the one before it,
    in the order of plan_summary (newest first)."""
    same = plans[plans["plan"] == plan].reset_index(drop=True)
    idx = same.index[same["round"] == round_] if round_ else same.index[:1]
    if not len(idx):
        return None, None
    current = same.iloc[idx[0]]
    previous = same.iloc[idx[0] + 1] if idx[0] + 1 < len(same) else None
    return current, previous
