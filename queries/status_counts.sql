-- Purpose: how many measures have each status (score 0–5 or text category), per area.
-- Grain: one row per unit, plan, round, area, score and category.
-- Parameters: $unit (unit code, or null for every unit)
select
    s.unit,
    s.plan,
    s.round,
    coalesce(m.area, '(uten område)') as area,
    s.score,
    s.category,
    count(*) as measures
from current_status as s
left join measures as m
    on s.import_id = m.import_id and s.measure_key = m.measure_key
where $unit is null or s.unit = $unit
group by all
order by s.unit, s.plan, s.round, area, s.score, s.category
