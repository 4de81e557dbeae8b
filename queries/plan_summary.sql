-- Purpose: headline figures per action plan and reporting round, as they stood after an event.
-- Grain: one row per unit, plan and reporting round, newest round first (by import, then by
--        the round's month when one import holds several rounds).
-- Parameters: $unit (unit code, or null for every unit), $event (the newest import event
--             taken into account)
with status as (
    select s.unit, s.plan, s.round, s.import_id, s.measure_key, s.score, s.category, s.continuation
    from status_at($event, $unit) as s
    where $unit is null or s.unit = $unit
),

measures as (
    select m.import_id, m.unit, m.plan, m.measure_key, m.goal_no, m.area
    from measures as m
)

select
    status.unit,
    status.plan,
    status.round,
    max(status.import_id) as import_id,
    count(*) as measures,
    count(distinct measures.goal_no) as goals,
    count(distinct measures.area) as areas,
    count(status.score) as scored,
    count(*) filter (where is_started(status.score, status.category)) as started,
    count(*) filter (where is_done(status.score, status.category)) as done,
    count(status.continuation) as continuing
from status
left join measures
    on status.import_id = measures.import_id
    and status.unit = measures.unit
    and status.plan = measures.plan
    and status.measure_key = measures.measure_key
group by status.unit, status.plan, status.round
order by status.unit, status.plan, max(status.import_id) desc, round_order(status.round) desc
