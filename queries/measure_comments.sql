-- Purpose: the comment thread of one measure as of an event («Spørsmål fra dekan»).
-- Grain: one row per comment, oldest first.
-- Parameters: $unit, $plan, $measure_key, $event (the newest event taken into account)
select
    event_id,
    author,
    author_name,
    written_at,
    body
from measure_comments
where unit = $unit and plan = $plan and measure_key = $measure_key and event_id <= $event
order by event_id
