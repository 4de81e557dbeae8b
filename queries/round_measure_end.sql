-- Purpose: end a measure in an open round (no longer asked for), keeping the reason; the
--          event ending it is kept, so a view pinned before it still sees the measure.
-- Grain: one measure of one round.
-- Parameters: $round_id, $key, $reason, $event (the event ending it)
update round_measures
set ended_event = $event, ended_reason = $reason
where round_id = $round_id and key = $key
