-- Purpose: the import log, newest first (who, when, file, checksum, layout, rows, outcome).
-- Grain: one row per import attempt that reached the store.
-- Parameters: $unit (unit code or null for all)
select
    i.import_id,
    i.imported_at,
    i.user_name,
    i.file_name,
    i.sha256,
    i.layout,
    i.sheets,
    i.unit,
    i.year,
    i.label,
    i.n_rows,
    i.warnings,
    i.outcome,
    i.message
from imports as i
where $unit is null or i.unit = $unit
order by i.import_id desc
