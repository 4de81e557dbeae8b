-- Purpose: where a round's name sorts among a plan's rounds (the round_order macro: the year,
--          then the month or half named in it), for an upload's rounds before they are stored.
-- Grain: one row.
-- Parameters: $round (the round's name, e.g. «Status juni 2023»); reads no stored data (no event)
select round_order($round) as round_order
