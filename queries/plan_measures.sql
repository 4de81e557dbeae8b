-- Purpose: the measures of a unit's plan as they stand — the newest import of its measures,
--          with what each needs (owner, owning unit, resource need, funding, period, risk,
--          priority) — and each measure's newest status in the plan's reports.
-- Grain: one row per measure.
-- Parameters: $unit, $plan, $event (the newest import event taken into account)
with m as (
    select m.*
    from measures as m
    where m.import_id in (select import_id from live_imports($event))
        and m.unit = $unit and m.plan = $plan
    qualify m.import_id = max(m.import_id) over ()
),

s as (
    select s.measure_key, s.score, s.category, s.round
    from status_at($event, $unit) as s
    where s.plan = $plan
    qualify row_number() over (
        partition by s.measure_key order by s.import_id desc, round_order(s.round) desc
    ) = 1
)

select
    m.seq,
    m.measure_key,
    coalesce(m.area, '(uten område)') as area,
    m.goal_no,
    m.title,
    m.period_start,
    m.period_end,
    m.owner,
    m.owning_unit,
    m.need_knok,
    m.need_hours,
    m.need_fte,
    m.granted_knok,
    m.risk,
    m.risk_reason,
    m.priority,
    s.score,
    s.category,
    s.round
from m
left join s on s.measure_key = m.measure_key
order by m.seq
