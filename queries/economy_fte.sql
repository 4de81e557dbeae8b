-- Purpose: a unit's årsverk per period and category, and the årsverk the budget assumed.
-- Grain: one row per parent unit, unit, year, month (null: the whole year or the budget), category and kind.
-- Parameters: $unit (the unit the table is about; null: every unit), $event (the newest import event taken into account)
select
    t.parent_unit,
    t.unit,
    t.year,
    t.month,
    coalesce(t.category, 'Alle') as category,
    t.fte,
    t.is_budget,
    t.import_id
from fte_at($event) as t
where $unit is null or t.parent_unit = $unit
order by t.parent_unit, t.year, t.month nulls first, t.unit, category
