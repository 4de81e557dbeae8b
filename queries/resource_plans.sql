-- Purpose: the plans of a unit whose measures say what they need (an owner, a resource need,
--          funding, a risk …) or that have an evaluation, newest plan year first, with the
--          measures the unit says the plan can carry at once (from its register).
-- Grain: one row per unit and plan, newest plan year first within a unit.
-- Parameters: $unit (null: every unit), $event (the newest import event taken into account)
with m as (
    select m.unit, m.plan, m.year, m.measure_key
    from measures as m
    where m.import_id in (select import_id from live_imports($event))
        and ($unit is null or m.unit = $unit)
    qualify m.import_id = max(m.import_id) over (partition by m.unit, m.plan)
),

said as (  -- measures that some import of the plan says what they need (register or report)
    select distinct m.unit, m.plan, m.measure_key
    from measures as m
    where m.import_id in (select import_id from live_imports($event))
        and ($unit is null or m.unit = $unit)
        and (m.owner is not null or m.need_knok is not null or m.granted_knok is not null
            or m.need_hours is not null or m.need_fte is not null or m.risk is not null)
),

e as (
    select e.unit, e.plan, count(*) as evaluated
    from evaluations_at($event) as e
    where $unit is null or e.unit = $unit
    group by e.unit, e.plan
),

counted as (
    select m.unit, m.plan, max(m.year) as year, count(*) as measures,
        count(said.measure_key) as with_resources
    from m
    left join said
        on said.unit = m.unit and said.plan = m.plan and said.measure_key = m.measure_key
    group by m.unit, m.plan
),

capacity as (
    select p.unit, p.plan, max(p.capacity) as capacity
    from plans as p
    where p.import_id in (select import_id from live_imports($event)) and ($unit is null or p.unit = $unit)
    group by p.unit, p.plan
)

select
    coalesce(counted.unit, e.unit) as unit,
    coalesce(counted.plan, e.plan) as plan,
    coalesce(counted.year, try_cast(regexp_extract(e.plan, '([0-9]{4})', 1) as integer)) as year,
    coalesce(counted.measures, 0) as measures,
    coalesce(counted.with_resources, 0) as with_resources,
    coalesce(e.evaluated, 0) as evaluated,
    capacity.capacity
from counted
full outer join e on e.unit = counted.unit and e.plan = counted.plan
left join capacity
    on capacity.unit = coalesce(counted.unit, e.unit)
    and capacity.plan = coalesce(counted.plan, e.plan)
where coalesce(counted.with_resources, 0) > 0 or coalesce(e.evaluated, 0) > 0
order by unit, year desc, plan
