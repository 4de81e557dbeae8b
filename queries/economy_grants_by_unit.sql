-- Purpose: economy_grants for every unit at once (`summary --json`): the same columns after
--          the unit a row answers for (`for_unit`, the $unit of economy_grants).
-- Grain: one row per unit, pool and applicant.
-- Parameters: $event (the newest import event taken into account)
select
    t.unit as for_unit,
    t.pool,
    t.seq,
    t.applicant,
    t.applied_kr,
    t.granted_kr,
    t.refused,
    t.comment,
    t.import_id
from grants_at($event) as t
where t.unit is not null
order by t.unit, t.pool, t.seq
