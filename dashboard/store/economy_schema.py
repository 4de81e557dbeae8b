"""Tables of the faculty's economy as the board sees it (issue 26): income by kind, årsverk,
cost measures and their effect, space, and applications for a pool of grants — each stored as
a version per import, with an as-of macro like every other fact table."""

from __future__ import annotations

ECONOMY_COLUMNS: dict[str, tuple[str, ...]] = {
    # income of one unit by kind in a year: the amount (1000 kr, when given) and the share (%)
    "income_mix": (
        "unit",
        "parent_unit",
        "year",
        "kind",
        "amount_knok",
        "share_pct",
        "source_cell",
    ),
    # årsverk of a unit in a period (a month, or a year when month is null), by category;
    # is_budget: the årsverk the budget assumed
    "fte": ("unit", "parent_unit", "year", "month", "category", "fte", "is_budget"),
    # cost measures: per measure and year its planned effect (1000 kr, a saving), with the
    # realised effect and status; row_kind «baseline» (cost without measures) and «target»
    # carry the cost trajectory per year; plan_ref: the plan's measure a row names in a column
    # «Tiltak i plan» (and its cell), linked on reading (model/economy/costs.py)
    "cost_measures": (
        "unit",
        "seq",
        "row_kind",
        "name",
        "status",
        "category",
        "realised_knok",
        "year",
        "amount_knok",
        "source_cell",
        "plan_ref",
        "plan_ref_cell",
    ),
    # space per unit, level and building type: kvm, kr per kvm, kvm to give up per årsverk
    "space": (
        "unit",
        "seq",
        "level",
        "building_type",
        "kvm",
        "kr_per_kvm",
        "kvm_per_fte",
        "fte_cost_kr",
    ),
    # applications to a pool of grants (kroner): applied, granted, refused
    "grants": (
        "unit",
        "pool",
        "seq",
        "applicant",
        "applied_kr",
        "granted_kr",
        "refused",
        "comment",
    ),
    # what the pool holds: its parts (grunnbeløp, rest fra 2023) and a stated total
    "grant_pools": ("unit", "pool", "part", "amount_kr", "is_total"),
}

ECONOMY_DDL = """
create table if not exists income_mix (import_id integer not null, unit varchar,
    parent_unit varchar, year integer, kind varchar, amount_knok double, share_pct double,
    source_cell varchar);
create table if not exists fte (import_id integer not null, unit varchar, parent_unit varchar,
    year integer, month tinyint, category varchar, fte double, is_budget boolean);
create table if not exists cost_measures (import_id integer not null, unit varchar,
    seq integer, row_kind varchar, name varchar, status varchar, category varchar,
    realised_knok double, year integer, amount_knok double, source_cell varchar);
create table if not exists space (import_id integer not null, unit varchar, seq integer,
    level varchar, building_type varchar, kvm double, kr_per_kvm double, kvm_per_fte double,
    fte_cost_kr double);
create table if not exists grants (import_id integer not null, unit varchar, pool varchar,
    seq integer, applicant varchar, applied_kr double, granted_kr double, refused boolean,
    comment varchar);
create table if not exists grant_pools (import_id integer not null, unit varchar, pool varchar,
    part varchar, amount_kr double, is_total boolean);
"""

# Each table as it stood after import event `upto`: the newest current import per dataset
# (the columns a newer import of the same thing replaces).
_DATASET_KEYS = {
    "income_mix": "t.parent_unit, t.year",
    "fte": "t.parent_unit, t.year",
    "cost_measures": "t.unit",
    "space": "t.unit",
    "grants": "t.unit, t.pool",
    "grant_pools": "t.unit, t.pool",
}
ECONOMY_MACROS = "".join(
    f"""
create or replace macro {table}_at(upto) as table
    select t.* from {table} as t
    where t.import_id in (select import_id from live_imports(upto))
    qualify t.import_id = max(t.import_id) over (partition by {keys});"""
    for table, keys in _DATASET_KEYS.items()
)

# for the import history (model/versions.py): the columns naming what a version is of
ECONOMY_VERSION_KEYS: dict[str, tuple[tuple[str, ...], None, None]] = {
    table: (tuple(k.removeprefix("t.") for k in keys.split(", ")), None, None)
    for table, keys in _DATASET_KEYS.items()
}

# A cost measure names the plan's measure it belongs to (issue 26): the text and its cell.
COST_PLAN_LINK = """
alter table cost_measures add column if not exists plan_ref varchar;
alter table cost_measures add column if not exists plan_ref_cell varchar;
"""
