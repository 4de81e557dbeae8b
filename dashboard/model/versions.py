"""Which stored import is current: per thing a version is of (MH · 2023 · prognose, a plan's
status, an indicator's value in a year), the newest import of each version is the one the
pages read (as in the store's current_* views), and the newest version of a thing — by round,
as-of date, then import — is the current one. An import is «gjeldende» where it holds the
newest version of something, «tidligere runde» where it only holds older versions (still
shown in trends and history), and «erstattet» where a newer import holds all it held."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.store.economy_schema import ECONOMY_VERSION_KEYS

CURRENT = "gjeldende"
PARTLY = "delvis erstattet"
EARLIER = "tidligere runde"
REPLACED = "erstattet"
UPLOAD = 2**62  # the import id an upload is given before it is stored
COLUMNS = ["import_id", "tbl", "thing", "version", "rank"]

# per stored table: the columns that name the thing, the column that names the version (or
# None: a newer import replaces the whole thing), and the column that orders the versions
KEYS: dict[str, tuple[tuple[str, ...], str | None, str | None]] = {
    "goals": (("unit", "strategy"), None, None),
    "measures": (("unit", "plan"), None, None),
    "status_reports": (("unit", "plan"), "round", "round"),
    "budget_figures": (("unit", "year", "kind"), "label", "as_of"),
    "allocations": (("parent_unit", "year"), "label", None),
    "evaluations": (("unit", "plan"), None, None),
    "indicator_defs": (("unit", "indicator"), None, None),
    "indicator_values": (("unit", "indicator", "year"), None, None),
    **ECONOMY_VERSION_KEYS,
}


@dataclass(frozen=True)
class State:
    """Where one import stands: its word, and the import that replaced it or is newer."""

    word: str
    by: int | None = None

    def text(self, names: Callable[[int], str]) -> str:
        """«erstattet av nr. 16» (`names` says how an import is named)."""
        if self.by is None:
            return self.word
        if self.word == EARLIER:
            return f"{self.word} ({names(self.by)} er nyere)"
        return f"{self.word} av {names(self.by)}"


def _part(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _thing(row: tuple) -> str:
    return " · ".join(p for p in (_part(v) for v in row) if p is not None)


def upload_versions(
    tables: dict[str, pd.DataFrame], round_order: Callable[[str], int]
) -> pd.DataFrame:
    """The versions an upload holds, shaped like queries/import_versions.sql (`tables`: each
    stored table's rows of the upload, at least its key columns)."""
    out = []
    for table, frame in tables.items():
        if table not in KEYS or frame is None or frame.empty:
            continue
        things, version, order = KEYS[table]
        cols = [
            *things,
            *([version] if version else []),
            *([order] if order and order != version else []),
        ]
        keys = frame[cols].drop_duplicates()
        for row in keys.itertuples(index=False):
            values = dict(zip(cols, row, strict=True))
            label = _part(values[version]) or "" if version else ""
            rank = 0
            if order == "round":
                rank = round_order(label)
            elif order == "as_of" and _part(values["as_of"]) is not None:
                rank = int(pd.Timestamp(values["as_of"]).timestamp())
            out.append((UPLOAD, table, _thing(tuple(values[c] for c in things)), label, rank))
    frame = pd.DataFrame(out, columns=COLUMNS)
    # a version's rank is its newest date (as the SQL takes max(as_of) per label)
    if not frame.empty:
        frame["rank"] = frame.groupby(["tbl", "thing", "version"])["rank"].transform("max")
        frame = frame.drop_duplicates()
    return frame


def states(versions: pd.DataFrame) -> dict[int, State]:
    """Where each import holding data stands (imports holding none are left out)."""
    if versions.empty:
        return {}
    v = versions.copy()
    v["holder"] = v.groupby(["tbl", "thing", "version"])["import_id"].transform("max")
    held = v[v["import_id"] == v["holder"]].sort_values(["rank", "import_id"])
    newest = held.groupby(["tbl", "thing"])["import_id"].last().rename("newest")
    v = v.join(newest, on=["tbl", "thing"])
    out: dict[int, State] = {}
    for import_id, rows in v.groupby("import_id"):
        is_newest = rows["import_id"] == rows["newest"]
        is_held = rows["import_id"] == rows["holder"]
        replaced = rows.loc[~is_held, "holder"]
        if is_newest.all():
            out[int(import_id)] = State(CURRENT)
        elif is_newest.any():
            if len(replaced):
                out[int(import_id)] = State(PARTLY, int(replaced.max()))
            else:
                out[int(import_id)] = State(CURRENT)
        elif is_held.any():
            out[int(import_id)] = State(EARLIER, int(rows.loc[is_held, "newest"].max()))
        else:
            out[int(import_id)] = State(REPLACED, int(replaced.max()))
    return out


def changes(before: dict[int, State], after: dict[int, State]) -> list[tuple[int, State, State]]:
    """Stored imports whose standing an upload would change: (import, now, after)."""
    return [
        (import_id, state, after[import_id])
        for import_id, state in sorted(before.items())
        if import_id != UPLOAD and after.get(import_id, state).word != state.word
    ]


OUTCOME_WORDS = {
    "ok": CURRENT,
    "undone": "angret / satt til side",
    "failed": "feilet",
    "pending": "pågår",
}


@dataclass(frozen=True)
class ImportHistory:
    """The import log (newest first) with each import's standing and its count of warnings."""

    log: pd.DataFrame
    standing: dict[int, str]  # import id: «gjeldende», «erstattet av nr. 16», «feilet» …
    warnings: list[int]  # per row of the log

    def word(self, import_id: int) -> str:
        """Where one import stands («gjeldende» for one the log does not know)."""
        return self.standing.get(int(import_id), CURRENT)

    def with_outcome(self, outcome: str, ids: list[int] | None = None) -> pd.DataFrame:
        """The log's rows with one outcome («ok», «undone»), of `ids` only when given."""
        rows = self.log[self.log["outcome"] == outcome]
        return rows if ids is None else rows[rows["import_id"].isin(ids)]


def _warning_count(stored: object) -> int:
    """How many warnings a log row's JSON list holds."""
    if not isinstance(stored, str) or not stored or stored == "[]":
        return 0
    return stored.count('", "') + 1


def import_history(q: Callable[..., pd.DataFrame]) -> ImportHistory:
    """Every import with where it stands now (page «Last opp», «Importhistorikk»)."""
    log = q("import_log", unit=None)
    held = states_of(q)

    def word(import_id: int, outcome: str) -> str:
        if outcome != "ok":
            return OUTCOME_WORDS.get(outcome, outcome)
        state = held.get(int(import_id))
        return state.text(lambda i: f"nr. {i}") if state else CURRENT

    standing = {int(i): word(i, o) for i, o in zip(log["import_id"], log["outcome"], strict=True)}
    return ImportHistory(log, standing, [_warning_count(w) for w in log["warnings"]])


def states_of(q: Callable[..., pd.DataFrame]) -> dict[int, State]:
    """Where each stored import stands now, from the versions every import holds."""
    return states(q("import_versions"))
