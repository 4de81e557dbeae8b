-- Purpose: a unit's space: kvm and kr per kvm per level and building type, and the kvm to give
--          up to save one årsverk.
-- Grain: one row per row of the stored space table.
-- Parameters: $unit (null: every unit), $event (the newest import event taken into account)
select
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
where $unit is null or t.unit = $unit
order by t.unit, t.seq
