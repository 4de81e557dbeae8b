"""What an upload would change: a diff of a parsed workbook against what is stored now."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from dashboard import vocab
from dashboard.ingest.pipeline import ImportResult
from dashboard.numbers import fmt_int, fmt_signed


@dataclass
class Diff:
    """Changes an upload would make, as readable tables (empty tables are left out)."""

    summary: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _status_word(score: object, category: object) -> str:
    return vocab.status_word(score, category, empty="–")


def _status_diff(con: duckdb.DuckDBPyConnection, parsed, diff: Diff) -> None:
    new = pd.DataFrame(parsed.tables.get("status_reports", []))
    measures = pd.DataFrame(parsed.tables.get("measures", []))
    if new.empty:
        return
    new = new.merge(
        measures[["unit", "plan", "measure_key", "title", "area"]],
        on=["unit", "plan", "measure_key"],
    )
    for (unit, plan, round_), rows in new.groupby(["unit", "plan", "round"], sort=False):
        cur = con.cursor()
        old = cur.execute(
            "select s.round, s.measure_key, s.score, s.category, m.title from current_status s "
            "join measures m on s.import_id = m.import_id and s.unit = m.unit and s.plan = m.plan "
            "and s.measure_key = m.measure_key "
            "where s.unit = ? and s.plan = ? qualify s.import_id = max(s.import_id) over ()",
            [unit, plan],
        ).df()
        same_round = cur.execute(
            "select count(*) from current_status where unit = ? and plan = ? and round = ?",
            [unit, plan, round_],
        ).fetchone()[0]
        cur.close()
        if old.empty:
            diff.summary.append(f"{unit} – {plan}: ny plan, {len(rows)} tiltak.")
            continue
        against = old["round"].iloc[0]
        what = "erstatter" if same_round else "sammenlignet med"
        diff.summary.append(f"{unit} – {plan}, {round_}: {what} lagret rapport «{against}».")
        merged = rows.merge(
            old, on="measure_key", how="outer", suffixes=("", "_lagret"), indicator=True
        )
        added = merged[merged["_merge"] == "left_only"]
        dropped = merged[merged["_merge"] == "right_only"]
        both = merged[merged["_merge"] == "both"]
        before = [
            _status_word(s, c)
            for s, c in zip(both["score_lagret"], both["category_lagret"], strict=True)
        ]
        after = [_status_word(s, c) for s, c in zip(both["score"], both["category"], strict=True)]
        changed = both[[b != a for b, a in zip(before, after, strict=True)]].copy()
        if len(changed):
            level = lambda s, c: vocab.level(s, c) if vocab.level(s, c) is not None else -1  # noqa: E731
            changed["retning"] = [
                "opp" if level(s, c) > level(s0, c0) else "ned"
                for s, c, s0, c0 in zip(
                    changed["score"],
                    changed["category"],
                    changed["score_lagret"],
                    changed["category_lagret"],
                    strict=True,
                )
            ]
            diff.tables[f"Endret status ({plan})"] = pd.DataFrame(
                {
                    "Tiltak": changed["title"],
                    "Lagret": [
                        _status_word(s, c)
                        for s, c in zip(
                            changed["score_lagret"], changed["category_lagret"], strict=True
                        )
                    ],
                    "Ny": [
                        _status_word(s, c)
                        for s, c in zip(changed["score"], changed["category"], strict=True)
                    ],
                    "Retning": changed["retning"],
                }
            )
        if len(added):
            diff.tables[f"Nye tiltak ({plan})"] = pd.DataFrame(
                {"Tiltak": added["title"], "Område": added["area"]}
            )
        if len(dropped):
            diff.tables[f"Tiltak som ikke er med ({plan})"] = pd.DataFrame(
                {"Tiltak": dropped["title_lagret"]}
            )
        diff.summary.append(
            f"{len(changed)} endret status, {len(added)} nye, {len(dropped)} ikke med."
        )


def _budget_diff(con: duckdb.DuckDBPyConnection, parsed, diff: Diff) -> None:
    rows = pd.DataFrame(parsed.tables.get("budget_figures", []))
    if rows.empty:
        return
    prog = rows[rows["kind"] == "prognosis"]
    for (unit, year, label), lines in prog.groupby(["unit", "year", "label"], sort=False):
        cur = con.cursor()
        old = cur.execute(
            "select label, line, sum(amount_knok) as amount from current_budget where unit = ? and year = ? "
            "and kind = 'prognosis' and label = coalesce((select label from current_budget where unit = ? "
            "and year = ? and kind = 'prognosis' and label = ? limit 1), (select label from current_budget "
            "where unit = ? and year = ? and kind = 'prognosis' order by as_of desc nulls last, import_id desc "
            "limit 1)) group by label, line",
            [unit, year, unit, year, label, unit, year],
        ).df()
        cur.close()
        if old.empty:
            diff.summary.append(f"{unit} {year}: første prognose ({label}).")
            continue
        against = old["label"].iloc[0]
        diff.summary.append(
            f"{unit} {year}, {label}: "
            + (
                "erstatter lagret versjon."
                if against == label
                else f"sammenlignet med lagret «{against}»."
            )
        )
        merged = lines[["line", "amount_knok"]].merge(
            old[["line", "amount"]], on="line", how="outer"
        )
        missing = merged[merged["amount_knok"].isna()]
        merged = merged[merged["amount_knok"].notna()].copy()
        merged["endring"] = merged["amount_knok"] - merged["amount"].fillna(0)
        moved = merged[merged["endring"].abs() > 0.5]
        if len(missing):
            diff.tables[f"Linjer som ikke er med i den nye fila ({unit} {year})"] = pd.DataFrame(
                {"Linje": missing["line"], "Lagret": missing["amount"].map(fmt_int)}
            )
        if len(moved):
            diff.tables[f"Prognoselinjer som flytter seg ({unit} {year})"] = pd.DataFrame(
                {
                    "Linje": moved["line"],
                    "Lagret": moved["amount"].map(fmt_int),
                    "Ny": moved["amount_knok"].map(fmt_int),
                    "Endring": moved["endring"].map(fmt_signed),
                }
            )
        diff.summary.append(f"{len(moved)} prognoselinjer endres.")


def diff_against_store(con: duckdb.DuckDBPyConnection, result: ImportResult) -> Diff:
    """Measures added / changed / dropped, status changes, prognosis lines that move and by how much."""
    diff = Diff()
    parsed = result.parsed
    _status_diff(con, parsed, diff)
    _budget_diff(con, parsed, diff)
    for table, label in (
        ("goals", "mål"),
        ("indicator_defs", "resultatmål"),
        ("indicator_values", "indikatorverdier"),
        ("allocations", "fordelinger"),
    ):
        if parsed.tables.get(table):
            diff.summary.append(
                f"{fmt_int(len(parsed.tables[table]))} {label} lagres som ny versjon."
            )
    if parsed.arrow_tables.get("budget_figures") is not None:
        diff.summary.append(
            f"{fmt_int(parsed.rows)} hovedbokrader lagres "
            f"({fmt_int(parsed.arrow_tables['budget_figures'].num_rows)} beløp)."
        )
    return diff
