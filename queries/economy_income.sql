-- Purpose: a unit's income by kind, for the unit and each unit it holds, every stored year.
-- Grain: one row per unit, year and income kind.
-- Parameters: $unit (the unit the table is about; null: every unit), $event (the newest import event taken into account)
select
    t.unit,
    t.parent_unit,
    t.year,
    t.kind,
    t.amount_knok,
    t.share_pct,
    t.source_cell,
    t.import_id
from income_mix_at($event) as t
where $unit is null or t.parent_unit = $unit
order by t.parent_unit, t.year, t.unit, t.kind
