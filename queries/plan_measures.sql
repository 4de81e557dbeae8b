-- Purpose: the measures of a unit's plan as they stand — the newest import of its measures,
--          with what each needs (owner, owning unit, resource need, funding, period, risk,
--          priority; a field the newest import leaves empty comes from the newest import that
--          says what the measure needs, e.g. the register before a later status report) — and
--          each measure's newest status in the plan's reports.
-- Grain: one row per measure.
-- Parameters: $unit, $plan, $event (the newest import event taken into account)
with m as (
    select m.*
    from measures as m
    where m.import_id in (select import_id from live_imports($event))
        and m.unit = $unit and m.plan = $plan
    qualify m.import_id = max(m.import_id) over ()
),

r as (
    select m.*
    from measures as m
    where m.import_id in (select import_id from live_imports($event))
        and m.unit = $unit and m.plan = $plan
        and (m.owner is not null or m.need_knok is not null or m.granted_knok is not null
            or m.need_hours is not null or m.need_fte is not null or m.risk is not null)
    qualify row_number() over (partition by m.measure_key order by m.import_id desc) = 1
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
    area_named(m.area) as area,
    m.goal_no,
    m.title,
    coalesce(m.period_start, r.period_start) as period_start,
    coalesce(m.period_end, r.period_end) as period_end,
    coalesce(m.owner, r.owner) as owner,
    coalesce(m.owning_unit, r.owning_unit) as owning_unit,
    coalesce(m.need_knok, r.need_knok) as need_knok,
    coalesce(m.need_hours, r.need_hours) as need_hours,
    coalesce(m.need_fte, r.need_fte) as need_fte,
    coalesce(m.granted_knok, r.granted_knok) as granted_knok,
    coalesce(m.risk, r.risk) as risk,
    coalesce(m.risk_reason, r.risk_reason) as risk_reason,
    coalesce(m.priority, r.priority) as priority,
    s.score,
    s.category,
    s.round,
    coalesce(r.import_id, m.import_id) as source_import
from m
left join r on r.measure_key = m.measure_key
left join s on s.measure_key = m.measure_key
order by m.seq
