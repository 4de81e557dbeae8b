-- Purpose: the reporting rounds opened as of an event, and whether each was closed by then:
--          those of one unit (opened for it, or asking it for answers), or all; `asked` lists
--          the units each round is for (the unit it was opened for and those it asks).
-- Grain: one row per round, newest first.
-- Parameters: $unit (unit code, or null for every round), $event (the newest event taken
--             into account)
with asking as (
    select r.round_id, r.unit
    from rounds as r
    where r.unit is not null
    union
    select m.round_id, m.unit
    from round_measures as m
    where m.unit is not null and m.added_event <= $event
),

asked as (
    select a.round_id, list(a.unit order by a.unit) as units
    from asking as a
    group by a.round_id
)

select
    r.round_id,
    r.unit,
    r.plan,
    r.label,
    r.kind,
    r.plan_year,
    r.due,
    r.token,
    r.opened_by,
    e.happened_at as opened_at,
    r.closed_event is not null and r.closed_event <= $event as closed,
    case when r.closed_event <= $event then c.happened_at end as closed_at,
    case when r.closed_event <= $event then r.closed_by end as closed_by,
    coalesce(a.units, []) as asked
from rounds as r
left join asked as a on a.round_id = r.round_id
left join import_events as e on e.event_id = r.opened_event
left join import_events as c on c.event_id = r.closed_event
where r.opened_event <= $event and ($unit is null or list_contains(a.units, $unit))
order by r.round_id desc
