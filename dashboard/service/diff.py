"""What an upload would change: a diff of a parsed workbook against what is stored now."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import vocab
from dashboard.ingest.pipeline import ImportResult
from dashboard.model import versions
from dashboard.numbers import fmt_int, fmt_signed
from dashboard.store import sql


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
    event = sql.data_version(con)  # what is stored now, pinned once for every plan
    for (unit, plan, round_), rows in new.groupby(["unit", "plan", "round"], sort=False):
        at = {"unit": unit, "plan": plan, "event": event}
        old = sql.query(con, "upload_status_stored", at)
        same_round = int(sql.query(con, "upload_status_round", at | {"round": round_}).iloc[0, 0])
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


def _upload_budget(parsed) -> pd.DataFrame | pa.Table | None:
    """The upload's budget figures, as one relation (the ledger's arrive as Arrow)."""
    rows = parsed.tables.get("budget_figures")
    arrow = parsed.arrow_tables.get("budget_figures")
    if rows and arrow is not None:
        return pd.concat([pd.DataFrame(rows), arrow.to_pandas()], ignore_index=True)
    if rows:
        return pd.DataFrame(rows)
    return arrow


def _figure_name(kind: str, year: int) -> str:
    return f"{vocab.BUDGET_KIND_WORDS.get(kind, kind)} {year}".capitalize()


def _budget_diff(con: duckdb.DuckDBPyConnection, parsed, diff: Diff) -> None:
    """Every budget amount the upload stores beside the stored one: budget, prognosis,
    previous prognosis, deviation and the multi-year plan, sum lines included."""
    upload = _upload_budget(parsed)
    if upload is None or len(upload) == 0:
        return
    cur = con.cursor()
    try:
        cur.register("upload_budget", upload)
        event = sql.data_version(con)
        rows = cur.execute(sql.load_query("budget_upload_diff"), {"event": event}).df()
    finally:
        cur.close()
    rows["Tall"] = [_figure_name(k, y) for k, y in zip(rows["kind"], rows["year"], strict=True)]
    changes = rows["new"].notna() & (rows["new"] - rows["stored"].fillna(0)).abs().gt(0.5)
    rows["moved"] = changes & rows["stored_label"].notna()
    rows["gone"] = rows["new"].isna()
    rows["kind_order"] = rows["kind"].map({k.value: i for i, k in enumerate(vocab.BudgetKind)})
    groups = list(rows.groupby(["unit", "label"], sort=False, dropna=False))
    for (unit, label), g in groups if len(groups) <= 6 else []:
        diff.summary.append(_budget_sentence(unit, label, g))
    moved, missing = rows[rows["moved"]], rows[rows["gone"]]
    many_units = rows["unit"].nunique() > 1
    if len(missing):
        diff.tables["Beløp som ikke er med i den nye fila (blir borte)"] = pd.DataFrame(
            {
                **({"Enhet": missing["unit"]} if many_units else {}),
                "Linje": missing["line"],
                "Tall": missing["Tall"],
                "Lagret": missing["stored"].map(fmt_int),
            }
        )
    if len(moved):
        diff.tables["Beløp som endres"] = pd.DataFrame(
            {
                **({"Enhet": moved["unit"]} if many_units else {}),
                "Linje": moved["line"],
                "Tall": moved["Tall"],
                "Lagret": moved["stored"].map(lambda v: "–" if pd.isna(v) else fmt_int(v)),
                "Ny": moved["new"].map(fmt_int),
                "Endring": (moved["new"] - moved["stored"].fillna(0)).map(fmt_signed),
            }
        )
    diff.summary.append(
        f"I alt: {fmt_int(len(moved))} beløp endres og {fmt_int(len(missing))} blir borte"
        + (f" ({fmt_int(len(groups))} enheter og versjoner)." if len(groups) > 6 else ".")
    )


def _budget_sentence(unit: str, label: str, g: pd.DataFrame) -> str:
    """«MH, prognose oktober 2023 (2023–2027): erstatter lagret versjon; beløp som endres: …»."""
    years = sorted(int(y) for y in g["year"].unique())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    against = set(g["stored_label"].dropna())
    if not against:
        return (
            f"{unit}, {label} ({span}): første tall ({fmt_int(int(g['new'].notna().sum()))} beløp)."
        )
    said = (
        "erstatter lagret versjon"
        if against == {label}
        else "sammenlignet med lagret " + ", ".join(f"«{a}»" for a in sorted(against))
    )
    counts = []
    for (_, _, name), k in g.sort_values(["year", "kind_order"]).groupby(
        ["year", "kind_order", "Tall"], sort=False
    ):
        counts.append(f"{name.lower()} {int(k['moved'].sum())} av {int(k['new'].notna().sum())}")
    return f"{unit}, {label} ({span}): {said}; beløp som endres: {', '.join(counts)}."


def _contents(result: ImportResult, diff: Diff) -> None:
    """Every sheet the file is read from, and what it holds."""
    parsed = result.parsed
    parts = parsed.contents or [(", ".join(parsed.sheets), parsed.layout, parsed.rows)]
    shown = "; ".join(
        f"«{sheet}»: {vocab.layout_words(layout).lower()}, {fmt_int(rows)} rader"
        for sheet, layout, rows in parts
    )
    diff.summary.append(f"Fila leses fra {len(parts)} ark — {shown}.")
    if parsed.warnings:
        diff.summary.append(
            f"{len(parsed.warnings)} advarsel{'er' if len(parsed.warnings) > 1 else ''} "
            "(se over) lagres med importen."
        )


def _upload_tables(parsed) -> dict[str, pd.DataFrame]:
    tables = {t: pd.DataFrame(rows) for t, rows in parsed.tables.items() if rows}
    arrow = parsed.arrow_tables.get("budget_figures")
    if arrow is not None and arrow.num_rows:
        keys = arrow.group_by(["unit", "year", "kind", "label"]).aggregate([("as_of", "max")])
        frame = keys.rename_columns(["unit", "year", "kind", "label", "as_of"]).to_pandas()
        tables["budget_figures"] = pd.concat([tables.get("budget_figures"), frame])
    return tables


def _versions_diff(con: duckdb.DuckDBPyConnection, result: ImportResult, diff: Diff) -> None:
    """Stored imports that would stop being current, or become an earlier round."""
    stored = sql.query(con, "import_versions")

    def round_order(r: str) -> int:
        return int(sql.query(con, "round_order", {"round": r}).iloc[0, 0])

    new = versions.upload_versions(_upload_tables(result.parsed), round_order)
    before = versions.states(stored)
    after = versions.states(pd.concat([stored, new], ignore_index=True))
    changed = versions.changes(before, after)
    if not changed:
        return
    log = sql.query(con, "import_log", {"unit": None}).set_index("import_id")

    def name(import_id: int) -> str:
        if import_id == versions.UPLOAD:
            return "den nye fila"
        return f"nr. {import_id}"

    diff.tables["Importer som ikke lenger blir gjeldende"] = pd.DataFrame(
        {
            "Nr.": [i for i, _, _ in changed],
            "Fil": [log["file_name"].get(i, "") for i, _, _ in changed],
            "Versjon": [log["label"].get(i, "") for i, _, _ in changed],
            "Nå": [a.text(name) for _, a, _ in changed],
            "Etter lagring": [b.text(name) for _, _, b in changed],
        }
    )
    whole = sum(1 for _, _, b in changed if b.word == versions.REPLACED)
    diff.summary.append(
        f"{len(changed)} lagret{'e' if len(changed) > 1 else ''} import"
        f"{'er' if len(changed) > 1 else ''} endrer status"
        + (f" ({whole} blir erstattet helt)" if whole else "")
        + " — se tabellen «Importer som ikke lenger blir gjeldende»."
    )


def diff_against_store(con: duckdb.DuckDBPyConnection, result: ImportResult) -> Diff:
    """What a save would change: the sheets read, measures added / changed / dropped, status
    changes, every budget amount that moves or goes, and the stored imports it replaces."""
    diff = Diff()
    parsed = result.parsed
    _contents(result, diff)
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
    _versions_diff(con, result, diff)
    return diff
