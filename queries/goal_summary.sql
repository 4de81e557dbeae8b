-- Purpose: strategy goals per strategy, part and area.
-- Grain: one row per unit, strategy, part and area.
-- Parameters: $unit (unit code or null), $event (the newest import event taken into account)
select
    g.unit,
    g.strategy,
    g.part,
    g.area,
    count(*) as goals,
    min(g.goal_no) as first_goal_no
from goals_at($event) as g
where $unit is null or g.unit = $unit
group by all
order by g.unit, g.strategy, min(g.goal_no)
