"""The DuckDB schema: fact tables, views and macros, migrations, opening the database.

Every import is a version: facts carry their `import_id`; `import_states` records what each
import event did, so the `*_at(event)` macros give every table as it stood after any event
(the current data is the state after the newest event).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import duckdb

from dashboard import units
from dashboard.errors import StoreBusy, StoreUnwritable, UserError
from dashboard.store import access
from dashboard.store.economy_schema import (
    COST_PLAN_LINK,
    ECONOMY_COLUMNS,
    ECONOMY_DDL,
    ECONOMY_MACROS,
)
from dashboard.vocab import RESOURCE_FIELDS, SQL_MACROS

SCHEMA_VERSION = 14
log = logging.getLogger(__name__)

# Each fact table as it stood after import event `upto`: only imports that were current then,
# the newest of them per dataset key (status reports: ROUND_MACROS, made once rounds exist). `upto` = the newest event gives what is current now.
# The big tables take a unit (or null for all), filtered before the window.
AS_OF_MACROS = """
create or replace macro live_imports(upto) as table
    select import_id from import_states where event_id <= upto
    qualify row_number() over (partition by import_id order by event_id desc) = 1
        and outcome = 'ok';
create or replace macro imports_at(upto) as table
    select i.* from imports as i where i.import_id in (select import_id from live_imports(upto));
create or replace macro budget_at(upto, only_unit) as table
    select b.* from budget_figures as b
    where b.import_id in (select import_id from live_imports(upto))
        and (only_unit is null or b.unit = only_unit)
    qualify b.import_id = max(b.import_id) over (partition by b.unit, b.year, b.kind, b.label);
create or replace macro goals_at(upto) as table
    select g.* from goals as g
    where g.import_id in (select import_id from live_imports(upto))
    qualify g.import_id = max(g.import_id) over (partition by g.unit, g.strategy);
create or replace macro allocations_at(upto) as table
    select a.* from allocations as a
    where a.import_id in (select import_id from live_imports(upto))
    qualify a.import_id = max(a.import_id) over (partition by a.parent_unit, a.year, a.label);
create or replace macro indicator_defs_at(upto) as table
    select d.* from indicator_defs as d
    where d.import_id in (select import_id from live_imports(upto))
    qualify d.import_id = max(d.import_id) over (partition by d.unit, d.indicator);
create or replace macro indicator_values_at(upto) as table
    select v.* from indicator_values as v
    where v.import_id in (select import_id from live_imports(upto))
    qualify v.import_id = max(v.import_id) over (partition by v.unit, v.indicator, v.year);
"""


# As-of macros of tables added after migration 4 (created once their table exists).
LATER_MACROS = """
create or replace macro evaluations_at(upto) as table
    select e.* from evaluations as e
    where e.import_id in (select import_id from live_imports(upto))
    qualify e.import_id = max(e.import_id) over (partition by e.unit, e.plan);
"""

# A reporting round's answers count in the figures once they are approved: a round-return
# import (a returned workbook or «Send inn») is held back until the coordinator's newest review
# of its unit in the round, at or after it, says «godkjent» (a later «sendt tilbake» withdraws
# it). A closed round takes no reviews, so it counts what was approved when it closed.
# `status_sent_at` is every answer sent in, approved or not (who has reported, the forms).
ROUND_MACROS = """
create or replace macro held_returns(upto) as table
    select i.import_id
    from imports as i
    inner join import_events as e on e.import_id = i.import_id and e.action = 'importert'
    inner join rounds as r on r.label = i.label
        and exists (select 1 from plans as p where p.import_id = i.import_id and p.plan = r.plan)
    where i.layout = 'round_return' and e.event_id <= upto
        and not exists (
            select 1 from round_reviews as v
            where v.round_id = r.round_id and v.unit = i.unit and v.state = 'godkjent'
                and v.event_id >= e.event_id and v.event_id <= upto
                and not exists (
                    select 1 from round_reviews as w
                    where w.round_id = v.round_id and w.unit = v.unit
                        and w.state = 'sendt tilbake'
                        and w.event_id > v.event_id and w.event_id <= upto));
create or replace macro status_in(upto, only_unit, approved_only) as table
    select s.* from status_reports as s
    where s.import_id in (select import_id from live_imports(upto))
        and (not approved_only or s.import_id not in (select import_id from held_returns(upto)))
        and (only_unit is null or s.unit = only_unit)
    qualify s.import_id = max(s.import_id) over (partition by s.unit, s.plan, s.round);
create or replace macro status_at(upto, only_unit) as table
    select * from status_in(upto, only_unit, true);
create or replace macro status_sent_at(upto, only_unit) as table
    select * from status_in(upto, only_unit, false);
"""

ALL_MACROS = SQL_MACROS + AS_OF_MACROS + LATER_MACROS + ECONOMY_MACROS + ROUND_MACROS
TEMP_MACRO = re.compile(r"create or replace macro", re.IGNORECASE)

FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "goals": ("unit", "strategy", "part", "area", "goal_no", "text"),
    "plans": ("unit", "plan", "kind", "year", "round", "capacity"),
    "measures": (
        "unit",
        "plan",
        "year",
        "seq",
        "measure_key",
        "area",
        "goal_no",
        "goal_ref",
        "title",
        "period_start",
        "period_end",
        "source_cell",
        *RESOURCE_FIELDS,
    ),
    "status_reports": (
        "unit",
        "plan",
        "round",
        "measure_key",
        "score",
        "status_text",
        "category",
        "comment",
        "continuation",
        "owner",
        "planned_end",
    ),
    "budget_figures": (
        "unit",
        "year",
        "line",
        "line_order",
        "line_group",
        "kind",
        "label",
        "as_of",
        "month",
        "amount_knok",
    ),
    "allocations": ("unit", "parent_unit", "year", "label", "amount_knok", "is_total"),
    "evaluations": (
        "unit",
        "plan",
        "measure_key",
        "seq",
        "area",
        "title",
        "grade",
        "causes",
        "comment",
    ),
    "indicator_defs": (
        "unit",
        "area",
        "indicator",
        "measure_unit",
        "kind",
        "target",
        "baseline_year",
        "target_year",
    ),
    "indicator_values": ("unit", "indicator", "year", "value", "source"),
    **ECONOMY_COLUMNS,
}

MIGRATIONS: dict[int, str] = {
    1: """
    create table if not exists units (code varchar primary key, name varchar, parent varchar, level integer);
    create sequence if not exists import_seq start 1;
    create table if not exists imports (
        import_id integer primary key default nextval('import_seq'),
        file_name varchar not null, sha256 varchar not null, layout varchar, sheets varchar,
        unit varchar, year integer, label varchar, n_rows integer, warnings varchar,
        imported_at timestamp not null, user_name varchar, outcome varchar not null, message varchar);
    create table if not exists goals (import_id integer not null, unit varchar, strategy varchar,
        part varchar, area varchar, goal_no integer, text varchar);
    create table if not exists plans (import_id integer not null, unit varchar, plan varchar,
        kind varchar, year integer, round varchar);
    create table if not exists measures (import_id integer not null, unit varchar, plan varchar,
        year integer, seq integer, measure_key varchar, area varchar, goal_no integer, goal_ref varchar,
        title varchar, period_start date, period_end date, source_cell varchar);
    create table if not exists status_reports (import_id integer not null, unit varchar, plan varchar,
        round varchar, measure_key varchar, score tinyint, status_text varchar, category varchar,
        comment varchar, continuation varchar);
    create table if not exists budget_figures (import_id integer not null, unit varchar, year smallint,
        line varchar, line_order integer, line_group varchar, kind varchar, label varchar, as_of date,
        month tinyint, amount_knok double);
    create table if not exists allocations (import_id integer not null, unit varchar, parent_unit varchar,
        year integer, label varchar, amount_knok double, is_total boolean);
    create table if not exists indicator_defs (import_id integer not null, unit varchar, area varchar,
        indicator varchar, measure_unit varchar, kind varchar, target double, baseline_year integer,
        target_year integer);
    create table if not exists indicator_values (import_id integer not null, unit varchar,
        indicator varchar, year integer, value double, source varchar);
    create or replace view ok_imports as select * from imports where outcome = 'ok';
    create or replace view current_goals as select g.* from goals g join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by g.unit, g.strategy);
    create or replace view current_measures as select m.* from measures m join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by m.unit, m.plan);
    create or replace view current_status as select s.* from status_reports s join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by s.unit, s.plan, s.round);
    create or replace view current_budget as select b.* from budget_figures b join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by b.unit, b.year, b.kind, b.label);
    create or replace view current_allocations as select a.* from allocations a join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by a.parent_unit, a.year, a.label);
    create or replace view current_indicator_defs as select d.* from indicator_defs d join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by d.unit, d.indicator);
    create or replace view current_indicator_values as select v.* from indicator_values v join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by v.unit, v.indicator, v.year);
    """,
    2: """
    create sequence if not exists event_seq start 1;
    create table if not exists import_events (
        event_id integer primary key default nextval('event_seq'), import_id integer,
        action varchar not null, user_name varchar, happened_at timestamp not null, note varchar);
    """,
    # The order of reporting rounds stored by one import («Status juni 2023» before «Status
    # desember 2023»): year × 100 + month, a round named by its year alone after its months.
    3: """
    create or replace macro round_order(r) as
        coalesce(try_cast(regexp_extract(r, '((?:19|20)[0-9]{2})', 1) as integer), 0) * 100
        + coalesce(
            list_position(
                ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august',
                 'september', 'oktober', 'november', 'desember'],
                regexp_extract(lower(r), '(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)', 1)
            ),
            13
        );
    """,
    # Versions a view can be pinned to: the outcome of every import as of each import event
    # (stored, undone, made current again), and each fact table as it stood at an event.
    4: """
    create table if not exists import_states (
        event_id integer not null, import_id integer not null, outcome varchar not null);
    insert into import_states
        select coalesce((select min(e.event_id) from import_events as e
                         where e.import_id = i.import_id and e.action = 'importert'), 0),
               i.import_id, 'ok'
        from imports as i where i.outcome in ('ok', 'undone');
    insert into import_states
        select coalesce((select max(e.event_id) from import_events as e
                         where e.import_id = i.import_id and e.action <> 'importert'),
                        (select max(event_id) from import_events), 0),
               i.import_id, 'undone'
        from imports as i where i.outcome = 'undone';
    """
    + AS_OF_MACROS,
    # Peer units: other institutions (and their units) from public statistics, outside NTNU's
    # tree — `peer_group` names their group (universitet …); null for NTNU's own units.
    5: """
    alter table units add column if not exists peer_group varchar;
    """,
    # Reporting rounds: a round is opened for a unit's plan (and the units below it with the
    # same plan), lists the measures asked, and is closed; each is an event, so a view pinned
    # to an event sees the round as it stood. Answers are status imports of their own (one per
    # returned workbook); a measure's owner and planned end come with its status.
    6: """
    alter table status_reports add column if not exists owner varchar;
    alter table status_reports add column if not exists planned_end date;
    create sequence if not exists round_seq start 1;
    create table if not exists rounds (
        round_id integer primary key default nextval('round_seq'), unit varchar not null,
        plan varchar not null, label varchar not null, kind varchar not null, plan_year integer,
        due date, token varchar not null, opened_event integer not null,
        opened_by varchar, closed_event integer, closed_by varchar);
    create table if not exists round_measures (
        round_id integer not null, unit varchar not null, key varchar not null,
        measure_key varchar not null, seq integer, area varchar, goal_no integer,
        goal_ref varchar, title varchar, period_start date, period_end date,
        prev_round varchar, prev_score tinyint, prev_status_text varchar, prev_category varchar,
        prev_comment varchar, owner varchar, planned_end date,
        added_event integer, ended_event integer, ended_reason varchar);
    """,
    # Measures carry owner, owning unit, resource need and funding, risk and priority.
    7: """
    alter table measures add column if not exists owner varchar;
    alter table measures add column if not exists owning_unit varchar;
    alter table measures add column if not exists need_knok double;
    alter table measures add column if not exists need_hours double;
    alter table measures add column if not exists need_fte double;
    alter table measures add column if not exists granted_knok double;
    alter table measures add column if not exists risk varchar;
    alter table measures add column if not exists risk_reason varchar;
    alter table measures add column if not exists priority varchar;
    """,
    # A plan's evaluation at the end of its period: a grade per measure and its causes.
    8: """
    create table if not exists evaluations (import_id integer not null, unit varchar,
        plan varchar, measure_key varchar, seq integer, area varchar, title varchar,
        grade varchar, causes varchar, comment varchar);
    """
    + LATER_MACROS,
    # What a unit says a plan can carry: the measures it can run at once (from a register).
    9: """
    alter table plans add column if not exists capacity integer;
    """,
    # The faculty's economy: income by kind, årsverk, cost measures, space, grants (issue 26).
    10: ECONOMY_DDL + ECONOMY_MACROS,
    # Answers in the browser («Mine tiltak») and their approval: a unit's draft in a round,
    # one row per measure per save (the newest save is the draft); the coordinator's review
    # of a unit's answers (godkjent / sendt tilbake, with a comment). Each save and review is
    # an event, so a view pinned to an event sees the round as it stood. A submission is a
    # round-return import (like a returned workbook), so it needs no table of its own.
    11: """
    create table if not exists round_drafts (
        round_id integer not null, unit varchar not null, key varchar not null,
        measure_key varchar not null, status varchar, comment varchar, owner varchar,
        planned_end date, saved_event integer not null, saved_by varchar);
    create table if not exists round_reviews (
        round_id integer not null, unit varchar not null, state varchar not null,
        comment varchar, event_id integer not null, user_name varchar);
    """,
    # Reminder mails of a round (one row per recipient: sent, or failed with the reason), and
    # a comment thread per measure — each comment an event, so a pinned view sees the thread
    # as it stood.
    12: """
    create sequence if not exists mail_seq start 1;
    create table if not exists mail_log (
        mail_id integer primary key default nextval('mail_seq'), round_id integer not null,
        unit varchar not null, stage varchar not null, recipient varchar not null,
        subject varchar not null, sent_at timestamp not null, sent_by varchar,
        outcome varchar not null, reason varchar);
    create table if not exists measure_comments (
        event_id integer primary key, unit varchar not null, plan varchar not null,
        measure_key varchar not null, title varchar, author varchar, author_name varchar,
        written_at timestamp not null, body varchar not null);
    """,
    # Approved answers are the round's figures (ROUND_MACROS). What counted before still counts:
    # every returned workbook (taken back by the coordinator, who approves) and every answer of
    # a closed round is approved at the event that stored it.
    13: """
    insert into round_reviews (round_id, unit, state, comment, event_id, user_name)
    select r.round_id, i.unit, 'godkjent', null, e.event_id, 'Målbilde (oppgradering)'
    from imports as i
    inner join import_events as e on e.import_id = i.import_id and e.action = 'importert'
    inner join rounds as r on r.label = i.label
        and exists (select 1 from plans as p where p.import_id = i.import_id and p.plan = r.plan)
    where i.layout = 'round_return'
        and (i.file_name <> 'Mine tiltak (nettleser)' or r.closed_event is not null);
    """
    + ROUND_MACROS,
    # A cost measure names the plan's measure it belongs to (issue 26).
    14: COST_PLAN_LINK,
}


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database; mark imports left pending by a crash as failed.
    Raises StoreBusy when another program holds it, StoreUnwritable when it cannot be written."""
    path = Path(path)
    if str(path) != ":memory:":
        with access.guarded(path):
            path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise UserError(f"{path} er en mappe, ikke en databasefil. Oppgi en fil med --db.")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        named = None if "does not exist" in str(exc) else access.problem(exc, path)
        if named is not None:
            raise named from None
        raise UserError(
            f"{path} kan ikke åpnes som Målbilde-database (er det en DuckDB-fil?)."
        ) from None
    if read_only:
        return con
    try:
        with access.guarded(path):
            migrate(con)
            # definitions, not data: always those of this code (the vocabulary, the as-of macros)
            con.execute(ALL_MACROS)
            con.execute(
                "update imports set outcome = 'failed', message = 'Avbrutt: lagringen ble ikke "
                "fullført (programmet stoppet underveis).' where outcome = 'pending'"
            )
    except BaseException:
        con.close()
        raise
    return con


def open_for_reading(path: Path | str) -> tuple[duckdb.DuckDBPyConnection, StoreUnwritable | None]:
    """The database for writing, or — when it cannot be written (read-only folder or file, full
    disk) but exists and is of this schema — read-only, with why it cannot be written."""
    try:
        return connect(path), None
    except StoreBusy:
        raise
    except StoreUnwritable as exc:
        if not Path(path).is_file():
            raise
        why = exc
    con = connect(path, read_only=True)
    try:
        stored = con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
        if stored < SCHEMA_VERSION:
            raise StoreUnwritable(
                f"{why.message} Databasen må dessuten oppgraderes (versjon {stored} til "
                f"{SCHEMA_VERSION}) og kan ikke leses før den kan skrives.",
                cli=why.cli,
            )
        # this code's definitions, as temporary ones (they come before the stored ones)
        con.execute(TEMP_MACRO.sub("create or replace temp macro", ALL_MACROS))
    except BaseException:
        con.close()
        raise
    return con, why


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema to SCHEMA_VERSION (the version is recorded in schema_version), then
    repair the unit tree (see repair_unit_tree)."""
    con.execute("create table if not exists schema_version (version integer, applied_at timestamp)")
    current = con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
    for version in range(current + 1, SCHEMA_VERSION + 1):
        con.execute("begin transaction")
        try:
            con.execute(MIGRATIONS[version])
            con.execute("insert into schema_version values (?, ?)", [version, dt.datetime.now()])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    for note in repair_unit_tree(con):
        log.warning(note)
    return SCHEMA_VERSION


def repair_unit_tree(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Break every cycle stored in the unit table (a unit that is its own ancestor, as older
    versions stored an unknown DBH faculty code): the units on a cycle are hung up again one by
    one — a known unit under its parent in units.toml, others under their stored parent — and
    the one that would close the cycle goes under NTNU. Returns a note per unit moved."""
    rows = con.execute("select code, parent, peer_group from units order by code").fetchall()
    parents = {code: parent for code, parent, _ in rows}
    looped = [row for row in rows if units.makes_cycle(row[0], row[1], parents)]
    if not looped:
        return []
    for code, _, _ in looped:
        parents[code] = None
    known = units.registry()
    looped.sort(key=lambda row: row[0] not in known)  # the registry's units first
    notes, moves = [], []
    for code, stored, group in looped:
        wanted = known[code].parent if code in known else stored
        parent = parents[code] = units.safe_parent(code, wanted, parents, peer=group is not None)
        if parent != stored:
            moves.append((parent, units.level_of(parent, group is not None), code))
            where = "under seg selv" if stored == code else f"under {stored}, i en ring"
            notes.append(
                f"Enheten {code} lå {where}; den er flyttet til "
                f"{parent or 'toppen (ingen enhet over seg)'}."
            )
    if moves:
        con.execute("begin transaction")
        con.executemany("update units set parent = ?, level = ? where code = ?", moves)
        con.execute("commit")
    return notes
