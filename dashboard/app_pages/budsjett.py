"""Budsjett: budget vs prognosis per line (IBCS), the drivers, the multi-year plan, versions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analysis, ui
from dashboard.numbers import fmt_int, fmt_mill, fmt_pct

f = ui.filters()
st.title("Budsjett og prognose")
versions = ui.q("prognosis_versions", unit=f.unit) if f.unit else pd.DataFrame()
if versions.empty:
    ui.empty_state("Det finnes ingen budsjettprognoser for denne enheten.")
    st.stop()

labels = versions["label"].tolist()
pick, _ = st.columns([1, 2])
label = pick.selectbox(
    "Prognoseversjon",
    labels,
    index=0,
    key="versjon",
    bind="query-params",
    help="Nyeste først. Lenken i adresselinjen gjenåpner samme versjon.",
)
version = versions[versions["label"] == label].iloc[0]
lines = ui.q("prognosis_lines", unit=f.unit, label=label)
ui.data_line(
    f"{label} ({ui.import_info(version['import_id'])})",
    f"Enhet: {f.unit_name}",
    f"år {int(version['year'])}",
    "beløp i 1000 kr",
)
st.markdown(
    "**Fortegn:** avvik = budsjett − prognose. Stolpene til høyre viser *virkningen på resultatet* "
    "(prognose − budsjett): **grønt styrker**, **rødt svekker** — for inntekter og kostnader likt. "
    "Kostnader er negative tall.",
    help="BFV = bevilgningsfinansiert virksomhet, BOA = bidrags- og oppdragsaktivitet, EVU = etter- og "
    "videreutdanning, IB/UB = inngående/utgående balanse.",
)

budget_result = analysis.result_of(lines, "budget")
prog_result = analysis.result_of(lines, "prognosis")
if budget_result is not None and prog_result is not None:
    diff = prog_result - budget_result
    verb = "svekker" if diff < 0 else "styrker"
    finding = f"Prognosen {verb} resultatet med {fmt_mill(abs(diff))}"
else:
    finding = f"Budsjett og prognose, {label}"

table = pd.DataFrame(
    {
        "Linje": lines["line"],
        "Budsjett": lines["budget"],
        "Prognose": lines["prognosis"],
        "Avvik (budsjett − prognose)": lines["deviation"],
        "Avvik %": [
            fmt_pct(d / abs(b)) if pd.notna(d) and pd.notna(b) and b else ""
            for d, b in zip(lines["deviation"], lines["budget"], strict=True)
        ],
    }
)
numbers = table.copy()
for col in ("Budsjett", "Prognose", "Avvik (budsjett − prognose)"):
    numbers[col] = numbers[col].map(fmt_int)
fig = ui.figure(
    "budget_deviation",
    lines,
    finding,
    f"BFV, {label}, 1000 kr. Budsjett: omriss · Prognose: skravert",
)
ui.chart(fig, numbers, key="avvik")

steps = analysis.waterfall_steps(lines)
if budget_result is not None and prog_result is not None and not steps.empty:
    top = steps.iloc[0]
    driver = f"Største driver: {top['label']} ({'+' if top['effect'] > 0 else ''}{fmt_mill(top['effect'])})"
    fig = ui.figure(
        "waterfall",
        steps,
        budget_result,
        prog_result,
        driver,
        f"Fra budsjettert til prognosert resultat, {label}, 1000 kr. Grønt styrker, rødt svekker resultatet.",
    )
    ui.chart(
        fig,
        steps.assign(effect=steps["effect"].map(fmt_int)).rename(
            columns={"label": "Linje", "effect": "Virkning"}
        ),
        key="waterfall",
    )
    st.caption(
        "Trinnene er sortert etter størrelse; hvert trinn er prognose − budsjett for linjen (virkning på resultatet)."
    )

st.header("Tabell")
st.dataframe(numbers, hide_index=True, width="stretch")
ui.excel_button(
    table,
    f"Budsjett og prognose, {label} – {f.unit_name} (1000 kr)",
    st.session_state.get("_data_text", ""),
    key="budsjett",
)

plan = ui.q("multiyear_plan", unit=f.unit, label=label)
if plan.empty:
    plan = ui.q("multiyear_plan", unit=f.unit, label=None)
if not plan.empty:
    st.header("Langtidsbudsjett")
    names = {"budget": "budsjett", "previous_prognosis": "prognose", "long_term_plan": "plan"}
    plan = plan[plan["line"].isin(["IB", "Resultat", "UB"])].copy()
    plan["period"] = [
        f"{y} {names.get(k, k)}" if k != "long_term_plan" else str(y)
        for y, k in zip(plan["year"], plan["kind"], strict=True)
    ]
    plan = plan.sort_values(["kind_order", "year"] if "kind_order" in plan else ["year"])
    plan["order"] = plan["year"] * 10 + plan["kind_order"]
    plan = plan.sort_values("order")
    ub = plan[plan["line"] == "UB"]
    first, last = ub.iloc[0], ub.iloc[-1]
    trend = "stiger" if last["amount_knok"] > first["amount_knok"] else "faller"
    fig = ui.figure(
        "multiyear",
        plan,
        f"UB {trend} fra {fmt_mill(first['amount_knok'])} til {fmt_mill(last['amount_knok'])} i {last['year']}",
        f"IB, resultat og UB per år, {plan['label'].iloc[0]}, 1000 kr",
    )
    wide = plan.pivot_table(
        index="line", columns="period", values="amount_knok", aggfunc="sum", sort=False
    )
    ui.chart(fig, wide.map(fmt_int).reset_index().rename(columns={"line": "Linje"}), key="langtid")

if len(versions) > 1:
    history = []
    for _, v in versions[versions["year"] == version["year"]].iloc[::-1].iterrows():
        vl = ui.q("prognosis_lines", unit=f.unit, label=v["label"])
        history.append({"label": v["label"], "prognosis": analysis.result_of(vl, "prognosis")})
    history = pd.DataFrame(history)
    move = history["prognosis"].iloc[-1] - history["prognosis"].iloc[0]
    fig = ui.figure(
        "prognosis_history",
        history,
        budget_result,
        f"Prognosert resultat har {'bedret' if move > 0 else 'svekket'} seg med {fmt_mill(abs(move))} siden {history['label'].iloc[0]}",
        f"Prognosert resultat per versjon, {int(version['year'])}, 1000 kr",
    )
    ui.chart(
        fig,
        history.assign(prognosis=history["prognosis"].map(fmt_int)).rename(
            columns={"label": "Versjon", "prognosis": "Prognosert resultat"}
        ),
        key="historikk",
    )

alloc = ui.q("allocations", unit=f.unit)
alloc = alloc[(alloc["parent_unit"] == f.unit) & ~alloc["is_total"]]
if not alloc.empty:
    st.header("Fordeling til enhetene")
    top = alloc.sort_values("amount_knok", ascending=False).iloc[0]
    fig = ui.figure(
        "allocations",
        alloc,
        f"{top['unit']} får mest: {fmt_int(top['amount_knok'])} av {fmt_int(alloc['amount_knok'].sum())}",
        f"{alloc['label'].iloc[0]}, 1000 kr",
    )
    ui.chart(
        fig,
        alloc[["unit", "amount_knok"]]
        .assign(amount_knok=alloc["amount_knok"].map(fmt_int))
        .rename(columns={"unit": "Enhet", "amount_knok": "Beløp"}),
        key="fordeling",
    )

st.caption(
    "BFV = bevilgningsfinansiert virksomhet · BOA = bidrags- og oppdragsaktivitet · EVU = etter- og "
    "videreutdanning · IB/UB = inngående/utgående balanse · beløp i 1000 kr"
)
