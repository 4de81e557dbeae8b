-- Purpose: a unit's draft answers in a reporting round as of an event (its newest save on
--          «Mine tiltak»), with when and by whom it was saved.
-- Grain: one row per measure of the draft.
-- Parameters: $round_id, $unit (unit code), $event (the newest event taken into account)
select
    d.key,
    d.measure_key,
    d.status,
    d.comment,
    d.owner,
    d.planned_end,
    d.saved_event,
    d.saved_by,
    e.happened_at as saved_at
from round_drafts as d
left join import_events as e on e.event_id = d.saved_event
where d.round_id = $round_id and d.unit = $unit and d.saved_event <= $event
qualify d.saved_event = max(d.saved_event) over ()
order by d.key
