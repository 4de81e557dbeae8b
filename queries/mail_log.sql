-- Purpose: the reminder mails of a reporting round: to whom, when, by whom, sent or failed
--          (with the reason).
-- Grain: one row per recipient per reminder sent, newest first.
-- Parameters: $round_id
select
    sent_at,
    unit,
    stage,
    recipient,
    subject,
    outcome,
    reason,
    sent_by
from mail_log
where round_id = $round_id
order by mail_id desc
