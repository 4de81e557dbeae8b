-- Purpose: the measures of a plan with their status in a reporting round, as of an event.
-- Grain: one row per measure and round (one round: give unit, plan and round; null = all).
-- Parameters: $unit, $plan, $round (each or null), $event (the newest import event taken
--             into account)
select
    s.unit,
    s.plan,
    m.seq,
    area_named(m.area) as area,
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
from status_at($event, $unit) as s
inner join measures as m
    on s.import_id = m.import_id and s.unit = m.unit and s.plan = m.plan
    and s.measure_key = m.measure_key
where
    ($unit is null or s.unit = $unit)
    and ($plan is null or s.plan = $plan)
    and ($round is null or s.round = $round)
order by s.unit, s.plan, s.round, m.seq
