-- Purpose: every earlier and current status of the measures a reporting round asks for, to
--          tell which have stood still (the same status round after round).
-- Grain: one row per unit, measure and reporting round of the round's plan, oldest round first.
-- Parameters: $round_id, $event (the newest import event taken into account)
select
    s.unit,
    s.measure_key,
    s.round,
    s.score,
    s.category
from status_at($event, null) as s
inner join rounds as r on r.round_id = $round_id and s.plan = r.plan
where s.unit in (select distinct unit from round_measures where round_id = $round_id)
order by s.unit, s.measure_key, s.import_id, round_order(s.round)
