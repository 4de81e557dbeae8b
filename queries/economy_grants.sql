-- Purpose: applications to a unit's pools of grants: applied, granted or refused.
-- Grain: one row per pool and applicant.
-- Parameters: $unit, $event (the newest import event taken into account)
select
    t.pool,
    t.seq,
    t.applicant,
    t.applied_kr,
    t.granted_kr,
    t.refused,
    t.comment,
    t.import_id
from grants_at($event) as t
where t.unit = $unit
order by t.pool, t.seq
