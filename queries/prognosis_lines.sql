-- Purpose: budget vs prognosis per line for a stored prognosis version, with the deviation the
--          workbook printed (when it printed one) beside budget − prognosis.
-- Grain: one row per unit, year, version label and budget line.
-- Parameters: $unit (unit code or null), $label (version label or null for all versions), $event
select
    b.unit,
    b.year,
    b.label,
    b.line,
    min(b.line_order) as line_order,
    any_value(b.line_group) as line_group,
    max(b.as_of) as as_of,
    max(b.import_id) as import_id,
    sum(b.amount_knok) filter (where b.kind = 'budget') as budget,
    sum(b.amount_knok) filter (where b.kind = 'prognosis') as prognosis,
    sum(b.amount_knok) filter (where b.kind = 'deviation') as deviation_printed,
    sum(b.amount_knok) filter (where b.kind = 'actual') as actual
from budget_at($event, $unit) as b
where
    b.kind in ('budget', 'prognosis', 'deviation', 'actual')
    and ($unit is null or b.unit = $unit)
    and ($label is null or b.label = $label)
group by b.unit, b.year, b.label, b.line
order by b.unit, b.year, max(b.as_of) nulls first, b.label, min(b.line_order) nulls last, b.line
