-- Purpose: every reporting round a plan already has in the stored status reports of a unit and
--          the units below it (a new round must not take the name of any of them, old or new).
-- Grain: one row per round label.
-- Parameters: $unit (the unit a round is opened for), $plan, $event (the newest import event
--             taken into account)
with recursive scope(code) as (
    select $unit::varchar
    union  -- not «union all»: a unit met again is not walked again, so a cycle ends the walk
    select u.code from units as u inner join scope on u.parent = scope.code
)

select distinct s.round
from status_at($event, null) as s
where s.plan = $plan and s.unit in (select code from scope) and s.round is not null
order by s.round
