-- Purpose: a unit's cost measures with their planned effect per year and realised effect, and
--          the cost trajectory (without measures, target) they are measured against, and the
--          plan's measure a row names («Tiltak i plan»), with its cell.
-- Grain: one row per unit, measure (or trajectory line) and year.
-- Parameters: $unit (null: every unit), $event (the newest import event taken into account)
select
    t.unit,
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
where $unit is null or t.unit = $unit
order by t.unit, t.seq, t.year
