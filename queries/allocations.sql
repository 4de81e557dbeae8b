-- Purpose: allocations from a parent unit to its units, with the stated total.
-- Grain: one row per parent unit, version label and receiving unit.
-- Parameters: $unit (parent unit code or null), $event (the newest import event taken into account)
select
    a.parent_unit,
    a.year,
    a.label,
    a.unit,
    a.amount_knok,
    a.is_total
from allocations_at($event) as a
where $unit is null or a.parent_unit = $unit or (a.is_total and a.unit = $unit)
order by a.parent_unit, a.year, a.label, a.is_total desc, a.unit
