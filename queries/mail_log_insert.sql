-- Purpose: log one e-mail sent (or refused, or failed) for a reporting round (service/mail.py,
--          inside writes.in_transaction's transaction with the rest of the batch).
-- Grain: one row written per call: one recipient of one mail.
-- Parameters: $round_id, $unit, $stage (invitation, reminder …), $recipient, $subject,
--             $sent_at, $sent_by (who sent it), $outcome, $reason (why not sent; null: sent)
insert into mail_log (
    round_id, unit, stage, recipient, subject, sent_at, sent_by, outcome, reason
)
values ($round_id, $unit, $stage, $recipient, $subject, $sent_at, $sent_by, $outcome, $reason)
