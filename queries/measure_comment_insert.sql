-- Purpose: store one comment on a measure, at the event that records it (service/comments.py,
--          inside writes.in_event's transaction).
-- Grain: one row written per call.
-- Parameters: $event (the comment's event), $unit, $plan, $measure_key, $title (the measure's
--             title as shown), $author (the signed-in user's label), $author_name, $written_at,
--             $body (the comment's text)
insert into measure_comments (
    event_id, unit, plan, measure_key, title, author, author_name, written_at, body
)
values (
    $event, $unit, $plan, $measure_key, $title, $author, $author_name, $written_at, $body
)
