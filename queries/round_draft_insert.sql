-- Purpose: a unit's whole draft in a round as a new save, from the relation _draft_rows the
--          store registers (one row per measure, every column of round_drafts by name).
-- Grain: one row inserted per measure.
-- Parameters: none; the rows are the relation _draft_rows
insert into round_drafts by name
select * from _draft_rows
