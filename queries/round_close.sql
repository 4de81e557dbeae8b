-- Purpose: close a reporting round as of the event closing it (views pinned before it see it
--          open).
-- Grain: one round.
-- Parameters: $round_id, $user, $event (the event closing it)
update rounds
set closed_event = $event, closed_by = $user
where round_id = $round_id
