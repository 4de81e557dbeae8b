-- Purpose: economy_space for every unit at once (`summary --json`): the same columns after
--          the unit a row answers for (`for_unit`, the $unit of economy_space).
-- Grain: one row per unit and row of the stored space table.
-- Parameters: $event (the newest import event taken into account)
select
    t.unit as for_unit,
    t.seq,
    t.unit,
    t.level,
    t.building_type,
    t.kvm,
    t.kr_per_kvm,
    t.kvm_per_fte,
    t.fte_cost_kr,
    t.import_id
from space_at($event) as t
where t.unit is not null
order by t.unit, t.seq
