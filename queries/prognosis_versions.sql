-- Purpose: the stored prognosis versions, newest first, with when they were imported.
-- Grain: one row per unit, year and version label.
-- Parameters: $unit (unit code or null), $event (the newest import event taken into account)
select
    b.unit,
    b.year,
    b.label,
    max(b.as_of) as as_of,
    max(b.import_id) as import_id,
    max(i.imported_at) as imported_at,
    any_value(i.file_name) as file_name,
    any_value(i.user_name) as user_name
from budget_at($event, $unit) as b
inner join imports as i on b.import_id = i.import_id
where b.kind = 'prognosis' and ($unit is null or b.unit = $unit)
group by b.unit, b.year, b.label
order by b.unit, b.year desc, max(b.as_of) desc nulls last, max(b.import_id) desc
