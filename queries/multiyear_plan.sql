-- Purpose: the multi-year plan (IB, result, UB …) per year for a prognosis version (the
--          version's current budget beside it, also when a later file of the same version
--          replaced only its prognosis sheet).
-- Grain: one row per unit, version label, line, scenario and year.
-- Parameters: $unit (unit code or null), $label (version label or null), $event
with budget as (
    select * from budget_at($event, $unit)
)

select
    b.unit,
    b.label,
    b.line,
    b.kind,
    b.year,
    case b.kind when 'budget' then 0 when 'previous_prognosis' then 1 else 2 end as kind_order,
    min(b.line_order) as line_order,
    sum(b.amount_knok) as amount_knok
from budget as b
where
    b.kind in ('budget', 'previous_prognosis', 'long_term_plan')
    and (b.unit, b.label) in (
        select (x.unit, x.label) from budget as x where x.kind = 'long_term_plan'
    )
    and ($unit is null or b.unit = $unit)
    and ($label is null or b.label = $label)
group by b.unit, b.label, b.line, b.kind, b.year
order by b.unit, b.label, line_order, b.year, kind_order
