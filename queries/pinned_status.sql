-- Purpose: the measures and their status exactly as stored by one import (pinned decks).
-- Grain: one row per measure in that import.
-- Parameters: $import_id, $round (null: every round the import holds; most hold one)
select
    m.seq,
    coalesce(m.area, '(uten område)') as area,
    m.goal_no,
    m.title,
    m.period_end,
    m.measure_key,
    s.score,
    s.status_text,
    s.category,
    s.comment,
    s.unit,
    s.plan,
    s.round
from status_reports as s
inner join measures as m on s.import_id = m.import_id and s.measure_key = m.measure_key
where s.import_id = $import_id and ($round is null or s.round = $round)
order by m.seq
