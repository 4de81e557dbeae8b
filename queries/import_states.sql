-- Purpose: where a pinned view stands: the newest event, and the event that stored an import
--          (old links name an import id instead of an event).
-- Grain: one row.
-- Parameters: $import_id (or null)
select
    (select coalesce(max(e.event_id), 0) from import_events as e) as newest_event,
    (
        select min(s.event_id) from import_states as s
        where s.import_id = $import_id and s.outcome = 'ok'
    ) as stored_at
