-- Purpose: NTNU's units (not the peer institutions) that have data of their own or below them, with their place in the
--          hierarchy, what they have themselves, and how many units below them have data.
-- Grain: one row per unit.
-- Parameters: $event (the newest import event taken into account)
with counts as (
    select unit, 'status' as kind from status_at($event, null)
    union all select unit, 'budget' from budget_at($event, null)
    union all select unit, 'goals' from goals_at($event)
    union all select unit, 'indicators' from indicator_values_at($event)
    union all select unit, 'indicators' from indicator_defs_at($event)
    union all select parent_unit, 'allocations' from allocations_at($event)
),

own as (
    select
        c.unit,
        count(*) filter (where c.kind = 'status') as status_rows,
        count(*) filter (where c.kind = 'budget') as budget_rows,
        count(*) filter (where c.kind = 'goals') as goal_rows,
        count(*) filter (where c.kind = 'indicators') as indicator_rows,
        count(*) filter (where c.kind = 'allocations') as allocation_rows
    from counts as c
    group by c.unit
),

below as (
    select p.code, count(distinct u.code) as units_below
    from units as p
    inner join units as u on u.parent = p.code or u.parent in (select x.code from units as x where x.parent = p.code)
    inner join own on own.unit = u.code
    where u.code <> p.code  -- two levels down at most, never the unit itself
    group by p.code
)

select
    u.code,
    u.name,
    u.parent,
    u.level,
    coalesce(own.status_rows, 0) as status_rows,
    coalesce(own.budget_rows, 0) as budget_rows,
    coalesce(own.goal_rows, 0) as goal_rows,
    coalesce(own.indicator_rows, 0) as indicator_rows,
    coalesce(own.allocation_rows, 0) as allocation_rows,
    coalesce(below.units_below, 0) as units_below
from units as u
left join own on own.unit = u.code
left join below on below.code = u.code
where u.peer_group is null and (own.unit is not null or below.units_below > 0)
order by u.level, u.code
