-- Purpose: applications to a unit's pools of grants: applied, granted or refused.
-- Grain: one row per unit, pool and applicant.
-- Parameters: $unit (null: every unit), $event (the newest import event taken into account)
select
    t.unit,
    t.pool,
    t.seq,
    t.applicant,
    t.applied_kr,
    t.granted_kr,
    t.refused,
    t.comment,
    t.import_id
from grants_at($event) as t
where $unit is null or t.unit = $unit
order by t.unit, t.pool, t.seq
