-- Purpose: every answer a unit has submitted in a reporting round that stands as of an event
--          (returned workbooks and «Send inn» alike, each a round-return import), to show a
--          later answer against the earlier one.
-- Grain: one row per submission (import) and measure, oldest submission first.
-- Parameters: $round_id, $unit (unit code), $event (the newest event taken into account)
select
    s.import_id,
    i.file_name,
    i.imported_at,
    i.user_name,
    s.measure_key,
    s.score,
    s.status_text,
    s.category,
    s.comment,
    s.owner,
    s.planned_end
from status_reports as s
inner join imports_at($event) as i on i.import_id = s.import_id
inner join rounds as r on r.round_id = $round_id
where
    i.layout = 'round_return'
    and s.unit = $unit
    and s.plan = r.plan
    and s.round = r.label
order by s.import_id, s.measure_key
