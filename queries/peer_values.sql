-- Purpose: indicator values of one of NTNU's units and of the peer institutions (other
--          universities and colleges, outside NTNU's tree), for the comparison on Indikatorer;
--          `peer` marks the peers' rows (those every unit is compared with).
-- Grain: one row per unit, indicator and year.
-- Parameters: $unit (the unit compared, e.g. NTNU; null: every unit's values and the peers'),
--             $event (the newest import event taken into account)
select
    v.unit,
    coalesce(u.name, v.unit) as name,
    u.peer_group,
    v.indicator,
    v.year,
    v.value,
    v.source,
    u.peer_group is not null and u.parent is null as peer
from indicator_values_at($event) as v
inner join units as u on v.unit = u.code
where $unit is null or v.unit = $unit or (u.peer_group is not null and u.parent is null)
order by v.indicator, v.year, v.unit
