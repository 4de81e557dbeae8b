-- Purpose: the measures of a unit's stored plans with each one's newest status, to link the
--          unit's cost measures to the plan's «tiltak» they name.
-- Grain: one row per plan and measure.
-- Parameters: $unit, $event (the newest import event taken into account)
with m as (
    select m.plan, m.measure_key, m.title, m.import_id
    from measures as m
    where m.import_id in (select import_id from live_imports($event)) and m.unit = $unit
    qualify row_number() over (
        partition by m.plan, m.measure_key order by m.import_id desc
    ) = 1
),

s as (
    select s.plan, s.measure_key, s.score, s.category, s.status_text, s.round
    from status_at($event, $unit) as s
    qualify row_number() over (
        partition by s.plan, s.measure_key order by s.import_id desc, round_order(s.round) desc
    ) = 1
)

select
    m.plan,
    m.measure_key,
    m.title,
    s.score,
    s.category,
    s.status_text,
    s.round
from m
left join s on s.plan = m.plan and s.measure_key = m.measure_key
order by m.plan, m.title
