-- Purpose: indicator values of one of NTNU's units and of the peer institutions (other
--          universities and colleges, outside NTNU's tree), for the comparison on Indikatorer.
-- Grain: one row per unit, indicator and year.
-- Parameters: $unit (the unit compared, e.g. NTNU), $event (the newest import event taken into account)
select
    v.unit,
    coalesce(u.name, v.unit) as name,
    u.peer_group,
    v.indicator,
    v.year,
    v.value,
    v.source
from indicator_values_at($event) as v
inner join units as u on v.unit = u.code
where v.unit = $unit or (u.peer_group is not null and u.parent is null)
order by v.indicator, v.year, v.unit
