-- Purpose: the measures a new round asks for, from the relation _round_rows the service
--          registers (one row per measure, every column of round_measures by name).
-- Grain: one row inserted per measure.
-- Parameters: none; the rows are the relation _round_rows
insert into round_measures by name
select * from _round_rows
