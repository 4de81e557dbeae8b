-- Purpose: rounds for every unit at once (`summary --json`): the same columns after the unit a
--          row answers for (`for_unit`: a round opened for it, or asking it for answers).
-- Grain: one row per unit and round, newest round first within a unit.
-- Parameters: $event (the newest event taken into account)
with asked as (
    select r.round_id, r.unit as for_unit
    from rounds as r
    where r.unit is not null
    union
    select m.round_id, m.unit
    from round_measures as m
    where m.unit is not null and m.added_event <= $event
)

select
    a.for_unit,
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
    case when r.closed_event <= $event then r.closed_by end as closed_by
from rounds as r
inner join asked as a on a.round_id = r.round_id
left join import_events as e on e.event_id = r.opened_event
left join import_events as c on c.event_id = r.closed_event
where r.opened_event <= $event
order by a.for_unit, r.round_id desc
