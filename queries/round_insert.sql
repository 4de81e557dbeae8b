-- Purpose: open a reporting round: its row in rounds, written by the event that opens it.
-- Grain: one row inserted; returns its round_id.
-- Parameters: $unit, $plan, $label, $kind ('scores' or 'text'), $plan_year, $due, $token,
--             $event (the event opening the round), $user
insert into rounds (unit, plan, label, kind, plan_year, due, token, opened_event, opened_by)
values ($unit, $plan, $label, $kind, $plan_year, $due, $token, $event, $user)
returning round_id
