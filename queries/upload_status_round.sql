-- Purpose: whether a round of a unit's plan is stored already (an upload of it replaces it).
-- Grain: one row: the number of stored status rows of that round.
-- Parameters: $unit, $plan, $round, $event (the newest import event taken into account)
select count(*) as stored
from status_at($event, $unit) as s
where s.unit = $unit and s.plan = $plan and s.round = $round
