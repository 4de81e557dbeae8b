-- Purpose: add a measure to an open round, written by the event that adds it.
-- Grain: one row inserted.
-- Parameters: $round_id, $unit, $key, $measure_key, $seq, $area, $goal_no, $title,
--             $event (the event adding it)
insert into round_measures
    (round_id, unit, key, measure_key, seq, area, goal_no, title, added_event)
values ($round_id, $unit, $key, $measure_key, $seq, $area, $goal_no, $title, $event)
