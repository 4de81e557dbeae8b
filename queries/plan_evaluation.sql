-- Purpose: a plan's evaluation as it stands: the grade and causes of each measure.
-- Grain: one row per evaluated measure.
-- Parameters: $unit, $plan, $event (the newest import event taken into account)
select
    e.seq,
    e.measure_key,
    area_named(e.area) as area,
    e.title,
    e.grade,
    e.causes,
    e.comment,
    e.import_id
from evaluations_at($event) as e
where e.unit = $unit and e.plan = $plan
order by e.seq
