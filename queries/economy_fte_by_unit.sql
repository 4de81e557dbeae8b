-- Purpose: economy_fte for every unit at once (`summary --json`): the same columns after the
--          unit a row answers for (`for_unit`, the $unit of economy_fte: the parent unit).
-- Grain: one row per parent unit, unit, year, month, category and kind.
-- Parameters: $event (the newest import event taken into account)
select
    t.parent_unit as for_unit,
    t.unit,
    t.year,
    t.month,
    coalesce(t.category, 'Alle') as category,
    t.fte,
    t.is_budget,
    t.import_id
from fte_at($event) as t
where t.parent_unit is not null
order by t.parent_unit, t.year, t.month nulls first, t.unit, category
