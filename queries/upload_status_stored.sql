-- Purpose: what an upload's status report is compared with: the measures and statuses of the
--          newest stored import of the unit's plan (all its rounds in that import), as of an event.
-- Grain: one row per round and measure of that import.
-- Parameters: $unit, $plan, $event (the newest import event taken into account)
select s.round, s.measure_key, s.score, s.category, m.title
from status_at($event, $unit) as s
inner join measures as m
    on s.import_id = m.import_id and s.unit = m.unit and s.plan = m.plan
    and s.measure_key = m.measure_key
where s.unit = $unit and s.plan = $plan
qualify s.import_id = max(s.import_id) over ()
