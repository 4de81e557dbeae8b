-- Purpose: economy_income for every unit at once (`summary --json`): the same columns after
--          the unit a row answers for (`for_unit`, the $unit of economy_income: the parent unit).
-- Grain: one row per parent unit, unit, year and income kind.
-- Parameters: $event (the newest import event taken into account)
select
    t.parent_unit as for_unit,
    t.unit,
    t.parent_unit,
    t.year,
    t.kind,
    t.amount_knok,
    t.share_pct,
    t.source_cell,
    t.import_id
from income_mix_at($event) as t
where t.parent_unit is not null
order by t.parent_unit, t.year, t.unit, t.kind
