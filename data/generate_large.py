"""A database about 100 × the demo, for the page benchmark: 60 units, 3 000 measures,
10 reporting rounds, 12 prognosis versions and 200 000 ledger rows (generated values)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pyarrow as pa

from dashboard import store

AREAS = [
    "Utdanning",
    "Forskning",
    "Innovasjon",
    "Formidling",
    "Tverrfaglig samhandling",
    "Internasjonalisering",
    "Organisasjon",
]
LINES = [
    ("IB", "balance"),
    ("Resultat", "total"),
    ("Inntekt", "total"),
    ("Bevilgning", "income"),
    ("Overføring fra BOA", "income"),
    ("Andre inntekter", "income"),
    ("Kostnad", "total"),
    ("Lønn", "cost"),
    ("Drift", "cost"),
    ("Investering", "cost"),
    ("UB", "balance"),
]
MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def _meta(name: str, layout: str, unit: str, rows: int) -> dict:
    return {
        "file_name": name,
        "sha256": f"{abs(hash((name, layout, unit))):064d}"[:64],
        "layout": layout,
        "sheets": "Ark1",
        "unit": unit,
        "year": 2023,
        "label": None,
        "n_rows": rows,
        "warnings": [],
        "user_name": "benchmark",
    }


def build_large(
    db_path: Path,
    units: int = 60,
    measures_per_unit: int = 50,
    rounds: int = 10,
    versions: int = 12,
    ledger_rows: int = 200_000,
) -> Path:
    rng = random.Random(3)
    db_path = Path(db_path)
    if db_path.exists():
        db_path.unlink()
    con = store.connect(db_path)
    codes = ["MH"] + [f"MH-{chr(65 + i // 26)}{chr(65 + i % 26)}X" for i in range(units - 1)]
    for unit in codes:
        scores = [rng.randint(0, 2) for _ in range(measures_per_unit)]
        for r in range(rounds):
            measures, status = [], []
            for m in range(measures_per_unit):
                scores[m] = min(5, scores[m] + (1 if rng.random() < 0.25 else 0))
                key = f"tiltak {m + 1}"
                measures.append(
                    {
                        "unit": unit,
                        "plan": "Handlingsplan 2019",
                        "year": 2019,
                        "seq": m + 1,
                        "measure_key": key,
                        "area": AREAS[m % len(AREAS)],
                        "goal_no": 1 + m % 40,
                        "goal_ref": str(1 + m % 40),
                        "title": f"Tiltak {m + 1} for {unit}",
                        "period_start": dt.date(2019, 1, 1),
                        "period_end": dt.date(2020 + m % 6, 12, 31),
                        "source_cell": f"Ark1!B{m + 3}",
                    }
                )
                status.append(
                    {
                        "unit": unit,
                        "plan": "Handlingsplan 2019",
                        "round": f"Runde {r + 1:02d}",
                        "measure_key": key,
                        "score": scores[m],
                        "status_text": None,
                        "category": [
                            "Ikke igangsatt",
                            "Under arbeid",
                            "Under arbeid",
                            "Under arbeid",
                            "Gjennomført",
                            "Gjennomført",
                        ][scores[m]],
                        "comment": f"Kommentar {m}",
                        "continuation": None,
                    }
                )
            plans = [
                {
                    "unit": unit,
                    "plan": "Handlingsplan 2019",
                    "kind": "Handlingsplan",
                    "year": 2019,
                    "round": f"Runde {r + 1:02d}",
                }
            ]
            store.write_import(
                con,
                _meta(f"{unit}_runde{r}.xlsx", "status_scores", unit, measures_per_unit),
                {"measures": measures, "status_reports": status, "plans": plans},
                {},
            )
    for unit in codes:
        base = rng.uniform(0.5, 2.0)
        for v in range(versions):
            label = f"prognose {MONTHS[v]} 2023"
            figures = []
            budget = {
                "Bevilgning": 800,
                "Overføring fra BOA": 300,
                "Andre inntekter": 80,
                "Lønn": -850,
                "Drift": -260,
                "Investering": -30,
            }
            prog = {k: val * rng.uniform(0.95, 1.05) for k, val in budget.items()}
            for kind, values in (("budget", budget), ("prognosis", prog)):
                amounts = {k: val * base * 1000 for k, val in values.items()}
                amounts["Inntekt"] = sum(
                    amounts[k] for k in ("Bevilgning", "Overføring fra BOA", "Andre inntekter")
                )
                amounts["Kostnad"] = sum(amounts[k] for k in ("Lønn", "Drift", "Investering"))
                amounts["Resultat"] = amounts["Inntekt"] + amounts["Kostnad"]
                amounts["IB"] = 50_000 * base
                amounts["UB"] = amounts["IB"] + amounts["Resultat"]
                for order, (line, group) in enumerate(LINES):
                    figures.append(
                        {
                            "unit": unit,
                            "year": 2023,
                            "line": line,
                            "line_order": order,
                            "line_group": group,
                            "kind": kind,
                            "label": label,
                            "as_of": dt.date(2023, v + 1, 1),
                            "month": None,
                            "amount_knok": amounts[line],
                        }
                    )
            store.write_import(
                con,
                _meta(f"{unit}_{label}.xlsx", "budget_prognosis", unit, len(LINES)),
                {"budget_figures": figures},
                {},
            )
    n = ledger_rows
    ids = np.arange(n)
    ledger = pa.table(
        {
            "unit": pa.array([codes[i % len(codes)] for i in range(n)]),
            "year": pa.array((2015 + ids // (len(codes) * 12 * 6)).astype(np.int16)),
            "line": pa.array(
                [
                    [
                        "Bevilgning",
                        "Lønn",
                        "Drift",
                        "Andre inntekter",
                        "Investering",
                        "Overføring fra BOA",
                    ][i % 6]
                    for i in range(n)
                ]
            ),
            "line_order": pa.nulls(n, pa.int32()),
            "line_group": pa.nulls(n, pa.string()),
            "kind": pa.array(["budget"] * n),
            "label": pa.array(["hovedbok 2023"] * n),
            "as_of": pa.array([dt.date(2023, 10, 1)] * n, pa.date32()),
            "month": pa.array((1 + (ids // 6) % 12).astype(np.int8)),
            "amount_knok": pa.array(np.random.default_rng(1).normal(0, 1000, n)),
        }
    )
    store.write_import(
        con, _meta("hovedbok.xlsx", "ledger", "MH", n), {}, {"budget_figures": ledger}
    )
    con.close()
    return db_path
