-- Purpose: what an upload's budget figures would change: each amount beside the stored amount
--          of the same unit, year and version (label) — or, for a version not stored yet, of
--          the newest stored version of that unit and year.
-- Grain: one row per unit, year, new version, kind and line, in the upload or in the stored
--        version it is compared with.
-- Parameters: $event (the newest import event taken into account: what is stored now);
--             the upload's figures are the relation upload_budget
--             (unit, year, label, kind, line, line_order, amount_knok).
with new as (
    select
        u.unit, u.year::integer as year, u.label, u.kind, u.line,
        min(u.line_order) as line_order, sum(u.amount_knok) as amount
    from upload_budget as u
    group by all
),

against as (
    select g.unit, g.year, g.label, s.label as stored_label
    from (select distinct n.unit, n.year, n.label from new as n) as g
    join budget_at($event, null) as s on s.unit = g.unit and s.year = g.year
    qualify row_number() over (
        partition by g.unit, g.year, g.label
        order by (s.label = g.label) desc, s.as_of desc nulls last, s.import_id desc
    ) = 1
),

old as (
    select
        a.unit, a.year, a.label, b.kind, b.line,
        min(b.line_order) as line_order, sum(b.amount_knok) as amount
    from against as a
    join budget_at($event, null) as b
        on b.unit = a.unit and b.year = a.year and b.label = a.stored_label
    group by all
)

select
    unit, year, label, a.stored_label, kind, line,
    coalesce(n.line_order, o.line_order) as line_order,
    o.amount as stored,
    n.amount as new
from new as n
full join old as o using (unit, year, label, kind, line)
left join against as a using (unit, year, label)
order by unit, year, label, kind, line_order
