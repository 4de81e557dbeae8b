-- Purpose: every indicator's values with its definition (target, kind, baseline), if any.
-- Grain: one row per unit, indicator and year (definitions without values get one row, year null).
-- Parameters: $unit (unit code or null), $event (the newest import event taken into account)
with vals as (
    select v.unit, v.indicator, v.year, v.value, v.source
    from indicator_values_at($event) as v
    where $unit is null or v.unit = $unit
),

defs as (
    select d.unit, d.indicator, d.area, d.measure_unit, d.kind, d.target, d.baseline_year, d.target_year
    from indicator_defs_at($event) as d
    where $unit is null or d.unit = $unit
)

select
    coalesce(vals.unit, defs.unit) as unit,
    coalesce(vals.indicator, defs.indicator) as indicator,
    vals.year,
    vals.value,
    vals.source,
    defs.area,
    defs.measure_unit,
    defs.kind,
    defs.target,
    defs.baseline_year,
    defs.target_year
from vals
full outer join defs
    on vals.unit = defs.unit and lower(vals.indicator) = lower(defs.indicator)
order by 1, 2, 3
