-- Purpose: every unit's name by its code (NTNU's units and the peer institutions), for the
--          names on a round's workbooks. Units are not versioned (no event).
-- Grain: one row per unit.
-- Parameters: none
select u.code, u.name
from units as u
order by u.code
