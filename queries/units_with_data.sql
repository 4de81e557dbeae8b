-- Purpose: the units that have data, with their place in the hierarchy and what they have.
-- Grain: one row per unit.
-- Parameters: none
with counts as (
    select unit, 'status' as kind from current_status
    union all select unit, 'budget' from current_budget
    union all select unit, 'goals' from current_goals
    union all select unit, 'indicators' from current_indicator_values
    union all select unit, 'indicators' from current_indicator_defs
    union all select parent_unit, 'allocations' from current_allocations
)

select
    u.code,
    u.name,
    u.parent,
    u.level,
    count(*) filter (where c.kind = 'status') as status_rows,
    count(*) filter (where c.kind = 'budget') as budget_rows,
    count(*) filter (where c.kind = 'goals') as goal_rows,
    count(*) filter (where c.kind = 'indicators') as indicator_rows,
    count(*) filter (where c.kind = 'allocations') as allocation_rows
from units as u
inner join counts as c on u.code = c.unit
group by u.code, u.name, u.parent, u.level
order by u.level, u.code
