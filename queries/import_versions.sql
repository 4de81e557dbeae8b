-- Purpose: which versions of which data every stored import holds, so the history can say
--          which import is current, which is an earlier round and which has been replaced.
--          `thing` is what a version is of (MH · 2023 · prognose); `version` tells the versions
--          of one thing apart (its label or round, empty where an import replaces the whole
--          thing); the newest import of a thing and version is the current one (as in the
--          current_* views); `rank` orders the versions of a thing (newest highest).
-- Grain: one row per import, table, thing and version.
-- Parameters: none
select distinct
    g.import_id, 'goals' as tbl, concat_ws(' · ', g.unit, g.strategy) as thing,
    '' as version, 0::bigint as rank
from goals as g join ok_imports using (import_id)
union all
select distinct
    m.import_id, 'measures', concat_ws(' · ', m.unit, m.plan), '', 0::bigint
from measures as m join ok_imports using (import_id)
union all
select distinct
    s.import_id, 'status_reports', concat_ws(' · ', s.unit, s.plan), coalesce(s.round, ''),
    round_order(s.round)::bigint
from status_reports as s join ok_imports using (import_id)
union all
select
    b.import_id, 'budget_figures', concat_ws(' · ', b.unit, b.year::varchar, b.kind),
    coalesce(b.label, ''),
    coalesce(epoch(max(b.as_of))::bigint, 0)
from budget_figures as b join ok_imports using (import_id)
group by all
union all
select distinct
    a.import_id, 'allocations', concat_ws(' · ', a.parent_unit, a.year::varchar), coalesce(a.label, ''),
    0::bigint
from allocations as a join ok_imports using (import_id)
union all
select distinct
    e.import_id, 'evaluations', concat_ws(' · ', e.unit, e.plan), '', 0::bigint
from evaluations as e join ok_imports using (import_id)
union all
select distinct
    d.import_id, 'indicator_defs', concat_ws(' · ', d.unit, d.indicator), '', 0::bigint
from indicator_defs as d join ok_imports using (import_id)
union all
select distinct
    v.import_id, 'indicator_values', concat_ws(' · ', v.unit, v.indicator, v.year::varchar), '',
    0::bigint
from indicator_values as v join ok_imports using (import_id)
union all
select distinct
    t.import_id, 'income_mix', concat_ws(' · ', t.parent_unit, t.year::varchar), '', 0::bigint
from income_mix as t join ok_imports using (import_id)
union all
select distinct
    t.import_id, 'fte', concat_ws(' · ', t.parent_unit, t.year::varchar), '', 0::bigint
from fte as t join ok_imports using (import_id)
union all
select distinct
    t.import_id, 'cost_measures', concat_ws(' · ', t.unit), '', 0::bigint
from cost_measures as t join ok_imports using (import_id)
union all
select distinct
    t.import_id, 'space', concat_ws(' · ', t.unit), '', 0::bigint
from space as t join ok_imports using (import_id)
union all
select distinct
    t.import_id, 'grants', concat_ws(' · ', t.unit, t.pool), '', 0::bigint
from grants as t join ok_imports using (import_id)
union all
select distinct
    t.import_id, 'grant_pools', concat_ws(' · ', t.unit, t.pool), '', 0::bigint
from grant_pools as t join ok_imports using (import_id)
