-- Purpose: share of measures completed (status 4–5 or «Gjennomført») per area for a unit and
--          its sub-units, in each unit's latest reporting round of plans with the same name.
-- Grain: one row per unit and area.
-- Parameters: $unit (the parent unit), $plan (plan name, e.g. «Handlingsplan 2019»), $event
with latest as (
    select s.*
    from status_at($event, null) as s
    inner join units as u on s.unit = u.code
    where s.plan = $plan and (s.unit = $unit or u.parent = $unit)
    qualify s.import_id::bigint * 1000000 + round_order(s.round)
        = max(s.import_id::bigint * 1000000 + round_order(s.round)) over (partition by s.unit)
)

select
    latest.unit,
    area_named(m.area) as area,
    count(*) as measures,
    count(*) filter (where is_done(latest.score, latest.category)) as done,
    done / count(*) as share_done
from latest
inner join measures as m
    on latest.import_id = m.import_id and latest.unit = m.unit and latest.plan = m.plan
    and latest.measure_key = m.measure_key
group by all
order by latest.unit, area
