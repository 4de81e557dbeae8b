-- Purpose: every reporting round's status of every measure in a plan, oldest round first.
-- Grain: one row per measure per reporting round.
-- Parameters: $unit, $plan, $event (the newest import event taken into account)
select
    s.round,
    s.import_id,
    i.imported_at,
    s.measure_key,
    m.title,
    area_named(m.area) as area,
    m.goal_no,
    s.score,
    s.category,
    s.status_text,
    s.comment
from status_at($event, $unit) as s
inner join measures as m
    on s.import_id = m.import_id and s.unit = m.unit and s.plan = m.plan
    and s.measure_key = m.measure_key
inner join imports as i on s.import_id = i.import_id
where s.unit = $unit and s.plan = $plan
order by s.import_id, round_order(s.round), m.seq
