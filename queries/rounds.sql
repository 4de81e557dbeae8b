-- Purpose: the reporting rounds opened as of an event, and whether each was closed by then:
--          those of one unit (opened for it, or asking it for answers), or all.
-- Grain: one row per round, newest first.
-- Parameters: $unit (unit code, or null for every round), $event (the newest event taken
--             into account)
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
    case when r.closed_event <= $event then r.closed_by end as closed_by
from rounds as r
left join import_events as e on e.event_id = r.opened_event
left join import_events as c on c.event_id = r.closed_event
where
    r.opened_event <= $event
    and (
        $unit is null or r.unit = $unit
        or exists (
            select 1 from round_measures as m
            where m.round_id = r.round_id and m.unit = $unit and m.added_event <= $event
        )
    )
order by r.round_id desc
