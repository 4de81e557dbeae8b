-- Purpose: what a unit's pools of grants hold: their parts and stated totals (kroner).
-- Grain: one row per pool and part.
-- Parameters: $unit, $event (the newest import event taken into account)
select
    t.pool,
    t.part,
    t.amount_kr,
    t.is_total,
    t.import_id
from grant_pools_at($event) as t
where t.unit = $unit
order by t.pool, t.is_total, t.part
