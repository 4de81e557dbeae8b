-- Purpose: PhD degrees completed per unit and year (indicator values whose name is a count of
--          PhD degrees: «Avlagte doktorgrader», DBH's «Doktorgrader», «Avlagte PhD 2022»).
-- Grain: one row per unit, indicator and year.
-- Parameters: $pattern (a regular expression the indicator's name matches, case ignored),
--             $event (the newest import event taken into account)
select
    v.unit,
    v.indicator,
    v.year,
    v.value,
    v.source,
    v.import_id
from indicator_values_at($event) as v
where regexp_matches(v.indicator, $pattern, 'i')
order by v.unit, v.year
