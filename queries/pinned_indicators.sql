-- Purpose: indicator values and targets as they stood after a given import (pinned decks).
-- Grain: one row per unit, indicator and year (targets without values: one row, year null).
-- Parameters: $unit, $asof (the newest import id to take into account)
with imp as (
    select import_id from imports where import_id <= $asof and outcome in ('ok', 'undone')
),

vals as (
    select v.unit, v.indicator, v.year, v.value
    from indicator_values as v
    where v.import_id in (select import_id from imp) and v.unit = $unit
    qualify v.import_id = max(v.import_id) over (partition by v.unit, v.indicator, v.year)
),

defs as (
    select d.unit, d.indicator, d.area, d.measure_unit, d.kind, d.target, d.baseline_year, d.target_year
    from indicator_defs as d
    where d.import_id in (select import_id from imp) and d.unit = $unit
    qualify d.import_id = max(d.import_id) over (partition by d.unit, d.indicator)
)

select
    coalesce(vals.unit, defs.unit) as unit,
    coalesce(vals.indicator, defs.indicator) as indicator,
    vals.year,
    vals.value,
    null as source,
    defs.area,
    defs.measure_unit,
    defs.kind,
    defs.target,
    defs.baseline_year,
    defs.target_year
from vals
full outer join defs on vals.unit = defs.unit and lower(vals.indicator) = lower(defs.indicator)
order by 1, 2, 3
