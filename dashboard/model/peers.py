"""A unit beside its peers: for each indicator that other institutions also have, the unit's
value and rank per year, the peers' median and spread, and the trend — the one comparison the
page, the deck and `summary --json` show. Pure: frames in, figures out."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from dashboard import entities
from dashboard.config import PACKAGE_DIR
from dashboard.model import analysis
from dashboard.model.pin import Pin, Query
from dashboard.numbers import fmt_num, fmt_signed

ALL = "alle"
MIN_PEERS = 2  # a comparison needs the unit and at least two peers with a value that year
PERCENT_WORDS = ("andel", "andelen", "prosent")
YEAR_COLUMNS = ("year", "value", "rank", "n", "median", "p25", "p75", "low", "high")


@dataclass(frozen=True)
class PeerGroup:
    """Whom the unit is compared with: a kind of institution, all of them, or a saved list."""

    key: str
    label: str  # for the picker: «Universiteter»
    kind: str | None = None  # entities.UNIVERSITY …; None for all and for saved lists
    members: tuple[str, ...] | None = None  # a saved list's codes

    def has(self, code: str, group: str | None) -> bool:
        """Whether the institution `code` (of kind `group`) is in this group."""
        if self.members is not None:
            return code in self.members
        return self.kind is None or group == self.kind

    def phrase(self, n: int, own_kind: str | None) -> str:
        """«11 universiteter» (the unit is one of the kind); else who the n are."""
        if self.members is not None:
            return f"{n} i gruppen «{self.label}»"
        if self.kind is None:
            return f"{n} institusjoner"
        plural = self.label.lower()
        return f"{n} {plural}" if own_kind == self.kind else f"{n} (NTNU og {n - 1} {plural})"


@lru_cache(maxsize=1)
def saved_groups() -> tuple[PeerGroup, ...]:
    """The saved peer groups of dashboard/peer_groups.toml."""
    with (PACKAGE_DIR / "peer_groups.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return tuple(
        PeerGroup(f"liste:{g['name']}", g["name"], None, tuple(g["members"]))
        for g in raw.get("group", [])
    )


def measure_unit_of(indicator: str) -> str | None:
    """«%» for a share («Andel kvinner …»), else none."""
    first = indicator.strip().lower().split(" ", 1)[0]
    return "%" if first in PERCENT_WORDS or "(%)" in indicator else None


@dataclass
class Comparison:
    """One indicator: the unit and the peers in a group, every year they share."""

    unit: str
    indicator: str
    group: PeerGroup
    values: pd.DataFrame  # unit, name, year, value, own, source — the unit and the group's members
    own_kind: str | None
    higher_is_better: bool = True
    measure_unit: str | None = None

    @cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        v = self.values
        return v["year"].to_numpy(), v["value"].to_numpy(float), v["own"].to_numpy(bool)

    @cached_property
    def _compared(self) -> list[tuple[int, float, np.ndarray]]:
        """(year, the unit's value, the peers' values) of each year the unit has a value and at
        least MIN_PEERS peers have a row."""
        years, values, own = self._arrays
        out = []
        for year in np.unique(years[pd.notna(years)]):
            here = years == year
            mine, peers = values[here & own], values[here & ~own]
            if len(mine) and len(peers) >= MIN_PEERS:
                out.append((int(year), float(mine[0]), peers))
        return out

    @cached_property
    def years(self) -> pd.DataFrame:
        """Per year the unit has a value and at least MIN_PEERS peers do: value, rank, n,
        and the peers' median, quartiles, lowest and highest."""
        columns: dict[str, list] = {k: [] for k in YEAR_COLUMNS}
        for year, value, peers in self._compared:
            better = (peers > value) if self.higher_is_better else (peers < value)
            for k, x in zip(
                YEAR_COLUMNS,
                (
                    year,
                    value,
                    int(better.sum()) + 1,
                    len(peers) + 1,
                    float(np.nanmedian(peers)),
                    float(np.nanquantile(peers, 0.25)),
                    float(np.nanquantile(peers, 0.75)),
                    float(np.nanmin(peers)),
                    float(np.nanmax(peers)),
                ),
                strict=True,
            ):
                columns[k].append(x)
        if not columns["year"]:
            return pd.DataFrame(columns=[*YEAR_COLUMNS, "text"])
        return pd.DataFrame(columns | {"text": [self.number(v) for v in columns["value"]]})

    @property
    def ok(self) -> bool:
        """Whether there is a year with both the unit's value and the peers'."""
        return bool(self._compared)

    @cached_property
    def latest(self) -> pd.Series:
        """The last compared year's row of `years`."""
        return self.years.iloc[-1]

    @cached_property
    def year(self) -> int:
        """The last compared year."""
        return int(self.latest["year"])

    @cached_property
    def ranking(self) -> pd.DataFrame:
        """The latest year's values, best first: unit, name, value, own, rank."""
        rows = self.values[self.values["year"] == self.year].copy()
        rows = rows.sort_values(
            ["value", "unit"], ascending=[not self.higher_is_better, True], kind="stable"
        )
        better = [
            int(((rows["value"] > v) if self.higher_is_better else (rows["value"] < v)).sum()) + 1
            for v in rows["value"]
        ]
        texts = [self.number(v) for v in rows["value"]]
        return rows.assign(rank=better, text=texts).reset_index(drop=True)

    @cached_property
    def decimals(self) -> int:
        """One number of decimals for every value of the comparison (2 → «2,00» beside «1,67»)."""
        v = self.values["value"].dropna()
        if self.measure_unit == "%":
            return 1
        whole = bool(((v - v.round()).abs() < 1e-9).all()) or bool((v.abs() >= 100).all())
        return 0 if whole else 2

    def number(self, value: float) -> str:
        """A value as every surface writes it: «1,67», «7 419», «57,3 %»."""
        text = fmt_num(value, self.decimals)
        return f"{text}\u00a0%" if self.measure_unit == "%" else text

    @cached_property
    def name_in_text(self) -> str:
        """The indicator as a phrase: «primærsøkere per studieplass»."""
        name = self.indicator.replace("(beregnet)", "").strip().rstrip(",")
        return name[:1].lower() + name[1:] if name[1:2].islower() else name

    @cached_property
    def title(self) -> str:
        """«NTNU har 1,67 primærsøkere per studieplass i 2026, nr. 6 av 11 universiteter»."""
        r = self.latest
        value = self.number(r["value"])
        if self.name_in_text.split(" ", 1)[0] in PERCENT_WORDS:
            said = f"{self.unit} har en {self.name_in_text} på {value}"
        else:
            said = f"{self.unit} har {value} {self.name_in_text}"
        place = self.group.phrase(int(r["n"]), self.own_kind)
        return f"{said} i {self.year}, nr. {int(r['rank'])} av {place}"

    @cached_property
    def median_text(self) -> str:
        """«Medianen for de andre er 2,3 (midterste halvdel 1,9–2,8)» in the last year."""
        r = self.latest
        return (
            f"Medianen for de andre er {self.number(r['median'])} (midterste halvdel "
            f"{self.number(r['p25'])}–{self.number(r['p75'])})"
        )

    @cached_property
    def trend_text(self) -> str:
        """«Fra 2021 til 2026: NTNU 2,2 → 1,6 (−0,6); medianen 2,3 → 1,9 (−0,4); nr. 5 → nr. 7»."""
        y = self.years
        if len(y) < 2:
            return f"Bare {self.year} kan sammenlignes."
        first, last = y.iloc[0], y.iloc[-1]

        def move(a: float, b: float) -> str:
            if self.measure_unit == "%":
                return f"{self.number(a)} → {self.number(b)} ({fmt_signed(b - a, 1)} prosentpoeng)"
            digits = 0 if abs(b) >= 100 else 2
            return f"{self.number(a)} → {self.number(b)} ({fmt_signed(b - a, digits)})"

        return (
            f"Fra {int(first['year'])} til {int(last['year'])}: {self.unit} "
            f"{move(first['value'], last['value'])}; medianen {move(first['median'], last['median'])}"
            + (
                f"; nr. {int(first['rank'])} → nr. {int(last['rank'])}"
                if first["rank"] != last["rank"]
                else f"; fortsatt nr. {int(last['rank'])}"
            )
        )

    @cached_property
    def trend_title(self) -> str:
        """«Fra 2021 til 2026 falt NTNU fra 2,21 til 1,67; medianen for de andre fra 2,36 til 1,73»."""
        y = self.years
        if len(y) < 2:
            return f"{self.unit} og de andre i {self.year}"
        first, last = y.iloc[0], y.iloc[-1]
        verb = "steg" if last["value"] > first["value"] else "falt"
        if abs(last["value"] - first["value"]) < 1e-9:
            verb = "holdt seg"
        return (
            f"Fra {int(first['year'])} til {int(last['year'])} {verb} {self.unit} fra "
            f"{self.number(first['value'])} til {self.number(last['value'])}; medianen for de "
            f"andre fra {self.number(first['median'])} til {self.number(last['median'])}"
        )

    @cached_property
    def trend_subtitle(self) -> str:
        """The line under the trend chart: what each line shows."""
        return (
            f"Heltrukket: {self.unit} · stiplet: medianen for de andre · skravert: midterste "
            "halvdel"
        )

    @cached_property
    def sources(self) -> list[str]:
        """Where the compared numbers come from, as stored."""
        return sorted({str(s) for s in self.values.get("source", pd.Series(dtype=str)).dropna()})

    @cached_property
    def sources_text(self) -> str:
        """Where the numbers come from (for a derived ratio: where its inputs come from)."""
        raw = set(self.sources)
        return "; ".join(sorted({re.sub(r"^Beregnet: .*? \((.*)\)$", r"\1", x) for x in raw}))

    @cached_property
    def subtitle(self) -> str:
        """The chart's subtitle: the median and how the bars are ranked."""
        order = "høyest" if self.higher_is_better else "lavest"
        return f"{self.median_text}. Rangert fra {order} verdi."


@dataclass
class PeerFigures:
    """Every indicator the unit shares with peers in one group, the derived ones included."""

    unit: str
    group: PeerGroup
    groups: list[PeerGroup]  # the groups the picker offers
    comparisons: dict[str, Comparison]

    @cached_property
    def names(self) -> list[str]:
        """The indicators compared."""
        return list(self.comparisons)

    @cached_property
    def main(self) -> Comparison:
        """The comparison shown first (and on the slide): applicants per study place if there."""
        pick = next((n for n in self.names if "per studieplass" in n.lower()), self.names[0])
        return self.comparisons[pick]


def _groups(values: pd.DataFrame, unit: str) -> list[PeerGroup]:
    """The groups with at least MIN_PEERS members that have values: kinds, all, saved lists."""
    peers: dict[str, object] = {}  # each other institution with values → its kind
    for code, kind in zip(values["unit"].tolist(), values["peer_group"].tolist(), strict=True):
        if code != unit:
            peers.setdefault(code, kind)
    out = []
    for kind, label in entities.PEER_GROUPS.items():
        if sum(g == kind for g in peers.values()) >= MIN_PEERS:
            out.append(PeerGroup(kind, label, kind))
    if len(peers) >= MIN_PEERS:
        out.append(PeerGroup(ALL, "Alle institusjoner"))
    for saved in saved_groups():
        if sum(code in saved.members for code in peers) >= MIN_PEERS:
            out.append(saved)
    return out


def _with_derived(values: pd.DataFrame) -> pd.DataFrame:
    """Derived indicators for every institution (primærsøkere per studieplass)."""
    derived = analysis.derived_indicators(values, {})
    if derived.empty:
        return values
    typed: dict[tuple, object] = {}  # (unit, indicator) → the source of its first row
    for key in zip(*(values[c].tolist() for c in ("unit", "indicator", "source")), strict=True):
        typed.setdefault(key[:2], key[2])
    derived_sources = derived["source"].tolist()
    inputs = [  # «Beregnet: Primærsøkere / Studieplasser» and where those came from
        typed.get((u, src.removeprefix("Beregnet: ").split(" / ")[0]))
        for u, src in zip(derived["unit"].tolist(), derived_sources, strict=True)
    ]
    names = values.drop_duplicates("unit").set_index("unit")
    derived = derived.assign(
        name=derived["unit"].map(names["name"]),
        peer_group=derived["unit"].map(names["peer_group"]),
        peer=derived["unit"].map(names["peer"]),
        source=[
            f"{s} ({i})" if isinstance(i, str) else s
            for s, i in zip(derived_sources, inputs, strict=True)
        ],
    )
    return pd.concat([values, derived[values.columns]], ignore_index=True)


def compared_values(q: Query, pin: Pin) -> pd.DataFrame | None:
    """The unit's and the peers' values, derived ones included (computed once per view, for
    every group); None when the unit has no value of its own or no peer has any."""
    values = q("peer_values", unit=pin.unit, event=pin.event)
    mine = values["unit"] == pin.unit
    if not mine.any() or mine.all():
        return None
    return _with_derived(values)


def peer_figures(
    q: Query,
    pin: Pin,
    group_key: str | None = None,
    targets: pd.DataFrame | None = None,
    values: pd.DataFrame | None = None,
) -> PeerFigures | None:
    """The unit beside its peers in a group (the first offered when none or an unknown one is
    asked for); None when no indicator of the unit has peer values. `targets`: the unit's
    indicator table (kind «høyst» means lower is better); `values`: compared_values, if at
    hand."""
    values = compared_values(q, pin) if values is None else values
    if values is None:
        return None
    groups = _groups(values, pin.unit)
    if not groups:
        return None
    group = next((g for g in groups if g.key == group_key), groups[0])
    comparisons = _comparisons(values, pin.unit, group, targets)
    if not comparisons:
        return None
    return PeerFigures(pin.unit, group, groups, comparisons)


def _comparable(years: np.ndarray, own: np.ndarray) -> bool:
    """Whether some year has a row of the unit and rows of at least MIN_PEERS peers."""
    return any(
        own[years == y].any() and (~own[years == y]).sum() >= MIN_PEERS
        for y in set(years[own & pd.notna(years)])
    )


def _comparisons(
    values: pd.DataFrame, unit: str, group: PeerGroup, targets: pd.DataFrame | None
) -> dict[str, Comparison]:
    """Every indicator the unit has a value of, beside the group's members that have one too."""
    kinds = (
        dict(zip(targets["indicator"], targets["kind"], strict=True)) if targets is not None else {}
    )
    units = (
        dict(zip(targets["indicator"], targets["measure_unit"], strict=True))
        if targets is not None
        else {}
    )
    own = values["unit"] == unit
    values = values[values["indicator"].isin(values.loc[own, "indicator"])]
    codes = values["unit"].tolist()
    inside = [
        u == unit or group.has(u, g)
        for u, g in zip(codes, values["peer_group"].tolist(), strict=True)
    ]
    members = values[np.array(inside, dtype=bool)]
    names, years = members["indicator"].to_numpy(object), members["year"].to_numpy()
    mine = (members["unit"] == unit).to_numpy(bool)
    table = members.assign(own=mine)[["unit", "name", "year", "value", "own", "source"]]
    comparisons = {}
    for name in sorted(set(names[pd.notna(names)])):
        at = np.flatnonzero(names == name)
        if not _comparable(years[at], mine[at]):
            continue
        rows = table.iloc[at]
        unit_of = units.get(name)
        comp = Comparison(
            unit,
            str(name),
            group,
            rows.reset_index(drop=True),
            entities.UNIVERSITY if unit == entities.NTNU else None,
            higher_is_better=kinds.get(name) != "maximum",
            measure_unit=unit_of if isinstance(unit_of, str) else measure_unit_of(str(name)),
        )
        if comp.ok:
            comparisons[str(name)] = comp
    return comparisons
