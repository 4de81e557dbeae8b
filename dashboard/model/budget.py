"""Budget and prognosis of a pinned view: the lines with their deviation (the printed figure wins),
the result against budget, the waterfall steps, the multi-year plan and how the prognosis moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from dashboard import vocab
from dashboard.model import analysis
from dashboard.model.pin import Pin, Query
from dashboard.numbers import fmt_int, fmt_mill

RESULT_LINE = "Resultat"
MOVE_THRESHOLD = 1000  # 1000 kr: the deck lists prognosis lines that moved more than 1 mill. kr


@dataclass
class BudgetFigures:
    """One prognosis version of a unit (or a sum over units: `rolled_up` names them)."""

    label: str
    year: int
    lines: pd.DataFrame  # line, line_order, line_group, budget, prognosis, deviation, effect …
    import_id: int | None = None
    previous_label: str | None = None
    previous_lines: pd.DataFrame | None = None
    multiyear: pd.DataFrame | None = None
    history: pd.DataFrame | None = None  # label, prognosis: the result per version this year
    rolled_up: list[tuple[str, str]] = field(default_factory=list)  # (unit, label)

    @cached_property
    def budget_result(self) -> float | None:
        """The result the budget gives."""
        return analysis.result_of(self.lines, "budget")

    @cached_property
    def prognosis_result(self) -> float | None:
        """The result the prognosis gives."""
        return analysis.result_of(self.lines, "prognosis")

    @cached_property
    def result_effect(self) -> float | None:
        """Prognosis against budget on the result (− the deviation; the printed one when the
        workbook printed it for the «Resultat» line)."""
        names = self.lines["line"].tolist()
        if RESULT_LINE in names:
            effect = self.lines["effect"].iloc[names.index(RESULT_LINE)]
            if pd.notna(effect):
                return float(effect)
        b, p = self.budget_result, self.prognosis_result
        return None if b is None or p is None else p - b

    @cached_property
    def result_change(self) -> float | None:
        """How the prognosis result moved since the previous version."""
        if self.previous_lines is None or self.prognosis_result is None:
            return None
        before = analysis.result_of(self.previous_lines, "prognosis")
        return None if before is None else self.prognosis_result - before

    @cached_property
    def headline(self) -> str:
        """The budget chart's title: how much the prognosis weakens or strengthens the result
        against the version before."""
        effect = self.result_effect
        if effect is None:
            return f"Budsjett og prognose, {self.label}"
        verb = "svekker" if effect < 0 else "styrker"
        return f"Prognosen {verb} resultatet med {fmt_mill(abs(effect))}"

    @cached_property
    def steps(self) -> pd.DataFrame:
        """The waterfall's steps from budget to prognosis."""
        return analysis.waterfall_steps(self.lines)

    @cached_property
    def mismatches(self) -> pd.DataFrame:
        """Lines whose printed deviation differs from budget − prognosis by more than rounding."""
        return self.lines[self.lines["mismatch"]]

    @cached_property
    def source(self) -> str:
        """The version's label, or the units and labels summed."""
        if self.rolled_up:
            return "sum av " + ", ".join(f"{u} ({label})" for u, label in self.rolled_up)
        return self.label

    # ---- the titles every surface shows (the page, the deck): worded once, here
    @cached_property
    def deviation_subtitle(self) -> str:
        """The line under the deviation chart."""
        return f"BFV, {self.source}, 1000 kr. Budsjett: omriss · prognose: skravert"

    @cached_property
    def lines_title(self) -> str:
        """«Avvik per linje: …»: the deck's slide of the deviation per line."""
        return f"Avvik per linje: {self.source}"

    @cached_property
    def deviation_shares(self) -> list[float | None]:
        """Each line's deviation as a share of its budget (None without a budget)."""
        return [
            d / abs(x) if pd.notna(d) and pd.notna(x) and x else None
            for d, x in zip(self.lines["deviation"], self.lines["budget"], strict=True)
        ]

    @cached_property
    def has_waterfall(self) -> bool:
        """Whether there are steps from a budgeted to a prognosed result."""
        return (
            self.budget_result is not None
            and self.prognosis_result is not None
            and not self.steps.empty
        )

    @cached_property
    def driver_title(self) -> str | None:
        """«Største driver: Lønn (−2,1 mill. kr)»: the waterfall's title (None: no steps)."""
        if not self.has_waterfall:
            return None
        top = self.steps.iloc[0]
        sign = "+" if top["effect"] > 0 else ""
        return f"Største driver: {top['label']} ({sign}{fmt_mill(top['effect'])})"

    @cached_property
    def waterfall_subtitle(self) -> str:
        """The line under the waterfall."""
        return (
            f"Fra budsjettert til prognosert resultat, {self.source}, 1000 kr. Grønt styrker, "
            "rødt svekker resultatet."
        )

    @cached_property
    def multiyear_title(self) -> str | None:
        """«UB stiger fra … til … i 2027» (None: no multi-year plan)."""
        plan = self.multiyear
        if plan is None:
            return None
        ub = plan[plan["line"] == "UB"]
        if ub.empty:
            return f"Langtidsbudsjett, {plan['label'].iloc[0]}"
        first, last = float(ub["amount_knok"].iloc[0]), float(ub["amount_knok"].iloc[-1])
        year = ub["year"].iloc[-1]
        if first == last:
            return f"UB holder seg på {fmt_mill(last)} i {year}"
        trend = "stiger" if last > first else "faller"
        return f"UB {trend} fra {fmt_mill(first)} til {fmt_mill(last)} i {year}"

    @cached_property
    def multiyear_subtitle(self) -> str | None:
        """The line under the multi-year chart."""
        if self.multiyear is None:
            return None
        return f"IB, resultat og UB per år, {self.multiyear['label'].iloc[0]}, 1000 kr"

    @cached_property
    def multiyear_wide(self) -> pd.DataFrame | None:
        """The multi-year plan with one column per period («Vis tallene»; None: no plan)."""
        if self.multiyear is None:
            return None
        wide = self.multiyear.pivot_table(
            index="line", columns="period", values="amount_knok", aggfunc="sum", sort=False
        )
        wide.columns = [str(c) for c in wide.columns]
        return wide.reset_index().rename(columns={"line": "Linje"})

    @cached_property
    def history_title(self) -> str | None:
        """How the prognosed result moved over this year's versions (None: just one)."""
        history = self.history
        if history is None:
            return None
        first, last = history["prognosis"].iloc[0], history["prognosis"].iloc[-1]
        since = history["label"].iloc[0]
        if pd.isna(first) or pd.isna(last):
            return f"Prognosert resultat per versjon siden {since}"
        move = float(last - first)
        if move == 0:
            return f"Prognosert resultat er uendret siden {since}"
        word = "bedret" if move > 0 else "svekket"
        return f"Prognosert resultat har {word} seg med {fmt_mill(abs(move))} siden {since}"

    @cached_property
    def history_subtitle(self) -> str:
        """The line under the history chart."""
        return f"Prognosert resultat per versjon, {self.year}, 1000 kr"

    @cached_property
    def moved(self) -> pd.DataFrame:
        """Lines whose prognosis moved more than MOVE_THRESHOLD since the previous version."""
        return self.moves(MOVE_THRESHOLD)

    @cached_property
    def moved_title(self) -> str | None:
        """«3 prognoselinjer flyttet seg mer enn 1 mill. kr siden …» (None: none moved)."""
        if self.moved.empty:
            return None
        return (
            f"{len(self.moved)} prognoselinjer flyttet seg mer enn {fmt_mill(MOVE_THRESHOLD, 0)} "
            f"siden {self.previous_label}"
        )

    @cached_property
    def mismatch_notes(self) -> list[str]:
        """One note per line whose printed deviation differs from budget − prognosis."""
        return [
            f"{row['line']}: avviket {fmt_int(row['deviation'])} er slik arbeidsboka skriver det; "
            f"budsjett − prognose gir {fmt_int(row['deviation_computed'])}."
            for _, row in self.mismatches.iterrows()
        ]

    @cached_property
    def comparison_title(self) -> str | None:
        """«Prognose: forrige → denne»: what Oversikt compares (None: no previous version)."""
        if self.previous_lines is None:
            return None
        return f"Prognose: {self.previous_label} → {self.label}"

    @cached_property
    def rolled_up_text(self) -> str | None:
        """For a sum over units: which units' newest versions the lines add up."""
        if not self.rolled_up:
            return None
        return (
            "Enheten har ingen prognose selv. Linjene er summen av enhetenes nyeste prognoser "
            f"for {self.year}: " + "; ".join(f"{u}: {lb}" for u, lb in self.rolled_up)
        )

    def no_moves_text(self, threshold: float) -> str:
        """What Oversikt says when no line moved more than `threshold` (1000 kr)."""
        return f"Ingen linjer er flyttet mer enn {fmt_int(threshold)} (1000 kr)."

    def moves(self, threshold: float) -> pd.DataFrame:
        """Lines whose prognosis moved more than `threshold` (1000 kr) since the previous version."""
        if self.previous_lines is None:
            return pd.DataFrame(columns=["line", "prognosis_før", "prognosis", "endring"])
        return analysis.prognosis_moves(self.previous_lines, self.lines, threshold)


def with_deviation(lines: pd.DataFrame) -> pd.DataFrame:
    """Add the deviation shown everywhere: printed where the workbook printed one, else budget −
    prognosis; its effect on the result (− deviation); and whether the printed one disagrees with
    budget − prognosis by more than rounding."""
    out = lines.copy()
    if "deviation_printed" not in out:
        out["deviation_printed"] = float("nan")
    computed = out["budget"] - out["prognosis"]
    printed = out["deviation_printed"]
    out["deviation_computed"] = computed
    out["deviation"] = printed.where(printed.notna(), computed)
    out["effect"] = -out["deviation"]
    out["mismatch"] = (printed - computed).abs().gt(vocab.ROUNDING_KNOK).fillna(False)
    return out.reset_index(drop=True)


def version_lines(rows: pd.DataFrame) -> pd.DataFrame:
    """The lines of one version in its own year (a multi-year sheet stores its plan apart),
    with the deviation shown everywhere."""
    if rows.empty:
        return with_deviation(rows)
    rows = rows[rows["year"] == rows["year"].max()]
    return with_deviation(rows.dropna(subset=["budget", "prognosis"], how="all"))


def lines_by_version(
    rows: pd.DataFrame, keys: list[str], *, done: bool = False
) -> dict[tuple, pd.DataFrame]:
    """`version_lines` of every version in `rows` (prognosis_lines), grouped by `keys` (the
    label, or unit and label) — computed on all rows at once, then cut per version (`done`:
    `rows` are all_version_lines already)."""
    if rows.empty:
        return {}
    rows = rows if done else all_version_lines(rows, keys)
    return {key: group.reset_index(drop=True) for key, group in rows.groupby(keys, sort=False)}


def all_version_lines(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`version_lines` of every version in `rows` at once, in one frame (versions by `keys`)."""
    newest = rows.groupby(keys, sort=False)["year"].transform("max")
    rows = rows[rows["year"] == newest]
    return with_deviation(rows.dropna(subset=["budget", "prognosis"], how="all"))


def _all_lines(q: Query, unit: str, event: int) -> dict[str, pd.DataFrame]:
    """Every prognosis version of a unit, by label (one query)."""
    rows = q("prognosis_lines", unit=unit, label=None, event=event)
    labels = dict.fromkeys(str(label) for label in rows["label"].drop_duplicates())
    lines = {str(k[0]): g for k, g in lines_by_version(rows, ["label"]).items()}
    return {label: lines[label] if label in lines else _no_lines(rows) for label in labels}


def _no_lines(rows: pd.DataFrame) -> pd.DataFrame:
    """A version whose every line lacks both budget and prognosis: no lines."""
    return with_deviation(rows.iloc[0:0])


def _multiyear(q: Query, unit: str, label: str, event: int) -> pd.DataFrame | None:
    plan = q("multiyear_plan", unit=unit, label=label, event=event)
    if plan.empty:
        plan = q("multiyear_plan", unit=unit, label=None, event=event)
    plan = plan[plan["line"].isin(["IB", "Resultat", "UB"])].copy()
    if plan.empty or not (plan["kind"] == vocab.BudgetKind.LONG_TERM_PLAN).any():
        return None
    words = {vocab.BudgetKind.BUDGET: "budsjett", vocab.BudgetKind.PREVIOUS_PROGNOSIS: "prognose"}
    plan["period"] = [
        str(y) if k == vocab.BudgetKind.LONG_TERM_PLAN else f"{y} {words.get(k, k)}"
        for y, k in zip(plan["year"], plan["kind"], strict=True)
    ]
    plan["order"] = plan["year"] * 10 + plan["kind_order"]
    return plan.sort_values("order").reset_index(drop=True)


def _history(
    lines: dict[str, pd.DataFrame], versions: pd.DataFrame, year: int
) -> pd.DataFrame | None:
    same = versions[versions["year"] == year]
    if len(same) < 2:
        return None
    return pd.DataFrame(
        [
            {"label": label, "prognosis": analysis.result_of(lines[label], "prognosis")}
            for label in same["label"].iloc[::-1]
        ]
    )


def budget_figures(q: Query, pin: Pin) -> BudgetFigures | None:
    """The pinned prognosis version (the newest when none is pinned) and the one before it."""
    versions = q("prognosis_versions", unit=pin.unit, event=pin.event)
    if versions.empty:
        return None
    chosen = versions[versions["label"] == pin.label] if pin.label else versions.head(1)
    if chosen.empty:
        chosen = versions.head(1)
    version = chosen.iloc[0]
    label, year = str(version["label"]), int(version["year"])
    position = int(chosen.index[0])
    previous = versions.iloc[position + 1] if position + 1 < len(versions) else None
    prev_label = None if previous is None else str(previous["label"])
    lines = _all_lines(q, pin.unit, pin.event)
    return BudgetFigures(
        label=label,
        year=year,
        lines=lines[label],
        import_id=int(version["import_id"]),
        previous_label=prev_label,
        previous_lines=None if prev_label is None else lines[prev_label],
        multiyear=_multiyear(q, pin.unit, label, pin.event),
        history=_history(lines, versions, year),
    )
