-- Purpose: the budget lines exactly as stored by one prognosis import (pinned decks), with the
--          multi-year plan delivered in the same import.
-- Grain: one row per line, scenario and year in that import.
-- Parameters: $import_id
select
    b.unit,
    b.year,
    b.label,
    b.line,
    b.kind,
    min(b.line_order) as line_order,
    any_value(b.line_group) as line_group,
    sum(b.amount_knok) as amount_knok
from budget_figures as b
where b.import_id = $import_id
group by b.unit, b.year, b.label, b.line, b.kind
order by b.year, line_order, b.kind
