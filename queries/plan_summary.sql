-- Purpose: headline figures per action plan and reporting round (current version of each).
-- Grain: one row per unit, plan and reporting round, newest round first (by import, then by
--        the round's month when one import holds several rounds).
-- Parameters: $unit (unit code, or null for every unit)
with status as (
    select s.unit, s.plan, s.round, s.import_id, s.measure_key, s.score, s.category, s.continuation
    from current_status as s
    where $unit is null or s.unit = $unit
),

measures as (
    select m.import_id, m.measure_key, m.goal_no, m.area
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
    count(*) filter (where status.score >= 2) as started,
    count(*) filter (where status.score >= 4) as score_4_5,
    count(*) filter (where status.category = 'Gjennomført') as completed,
    count(*) filter (where status.category = 'Forsinket') as delayed,
    count(*) filter (where status.category = 'Utsatt') as postponed,
    count(*) filter (where status.category = 'Ikke igangsatt') as not_started,
    count(*) filter (where status.category = 'Under arbeid') as in_progress,
    count(status.continuation) as continuing
from status
left join measures
    on status.import_id = measures.import_id
    and status.measure_key = measures.measure_key
group by status.unit, status.plan, status.round
order by status.unit, status.plan, max(status.import_id) desc, round_order(status.round) desc
