-- Purpose: what a new reporting round of a plan starts from: for the unit and every unit below
--          it with the same plan, the measures of that unit's newest round of the plan, with
--          their status, comment, owner and planned end in that round.
-- Grain: one row per unit and measure.
-- Parameters: $unit (the unit the round is opened for), $plan, $event (the newest import event
--             taken into account)
with recursive scope(code) as (
    select $unit::varchar
    union  -- not «union all»: a unit met again is not walked again, so a cycle ends the walk
    select u.code from units as u inner join scope on u.parent = scope.code
),

status as (
    select s.*
    from status_at($event, null) as s
    where s.plan = $plan and s.unit in (select code from scope)
    qualify dense_rank() over (
        partition by s.unit order by s.import_id desc, round_order(s.round) desc
    ) = 1
)

select
    s.unit,
    m.measure_key,
    m.seq,
    m.area,
    m.goal_no,
    m.goal_ref,
    m.title,
    m.period_start,
    m.period_end,
    s.round as prev_round,
    s.score as prev_score,
    s.status_text as prev_status_text,
    s.category as prev_category,
    s.comment as prev_comment,
    coalesce(s.owner, m.owner) as owner,
    coalesce(s.planned_end, m.period_end) as planned_end,
    p.year as plan_year
from status as s
inner join measures as m
    on s.import_id = m.import_id and s.unit = m.unit and s.plan = m.plan
    and s.measure_key = m.measure_key
left join (
    select distinct import_id, unit, plan, year from plans
) as p on s.import_id = p.import_id and s.unit = p.unit and s.plan = p.plan
order by s.unit = $unit desc, s.unit, m.seq
