-- Purpose: record a coordinator's review of a unit's answers in a round (godkjent / sendt
--          tilbake), at the event that records it, so a view pinned before it sees the answers
--          as they stood.
-- Grain: one review of one unit in one round.
-- Parameters: $round_id, $unit, $state, $comment, $event (the event recording it), $user
insert into round_reviews (round_id, unit, state, comment, event_id, user_name)
values ($round_id, $unit, $state, $comment, $event, $user)
