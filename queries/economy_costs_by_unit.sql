-- Purpose: economy_costs for every unit at once (`summary --json`): the same columns after
--          the unit a row answers for (`for_unit`, the $unit of economy_costs).
-- Grain: one row per unit, measure (or trajectory line) and year.
-- Parameters: $event (the newest import event taken into account)
select
    t.unit as for_unit,
    t.seq,
    t.row_kind,
    t.name,
    t.status,
    t.realised_knok,
    t.year,
    t.amount_knok,
    t.source_cell,
    t.plan_ref,
    t.plan_ref_cell,
    t.import_id
from cost_measures_at($event) as t
where t.unit is not null
order by t.unit, t.seq, t.year
