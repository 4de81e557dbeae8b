-- Purpose: the unit's strategy goals one by one (to see which a plan's measures cover).
-- Grain: one row per goal of the unit's newest strategy.
-- Parameters: $unit, $event (the newest import event taken into account)
select g.strategy, g.part, g.area, g.goal_no, g.text
from goals_at($event) as g
where g.unit = $unit
order by g.goal_no
