-- Purpose: the measures of one plan with their status in one reporting round, as of an event.
-- Grain: one row per measure (in the given unit, plan and round).
-- Parameters: $unit, $plan, $round, $event (the newest import event taken into account)
select
    s.unit,
    m.seq,
    coalesce(m.area, '(uten område)') as area,
    m.goal_no,
    m.goal_ref,
    m.title,
    m.period_start,
    m.period_end,
    m.measure_key,
    s.score,
    s.status_text,
    s.category,
    s.comment,
    s.continuation,
    s.round,
    s.import_id
from status_at($event) as s
inner join measures as m
    on s.import_id = m.import_id and s.unit = m.unit and s.plan = m.plan
    and s.measure_key = m.measure_key
where s.unit = $unit and s.plan = $plan and s.round = $round
order by m.seq
