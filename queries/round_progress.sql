-- Purpose: the measures a reporting round asks for, as of an event, each with the answer that
--          is in (the newest returned workbook or «Send inn» of its unit, approved or not), where
--          that answer came from, and whether an approved answer counts in the figures
--          (`counted`: the unit's approved answer, see held_returns).
-- Grain: one row per round measure (ended ones included, with `ended`).
-- Parameters: $round_id, $event (the newest import event taken into account)
with r as (
    select * from rounds where round_id = $round_id
),

answers as (
    select s.*
    from status_sent_at($event, null) as s, r
    where s.plan = r.plan and s.round = r.label
),

approved as (
    select s.*
    from status_at($event, null) as s, r
    where s.plan = r.plan and s.round = r.label
)

select
    m.unit,
    m.key,
    m.measure_key,
    m.seq,
    area_named(m.area) as area,
    m.goal_no,
    m.goal_ref,
    m.title,
    m.period_start,
    m.period_end,
    m.prev_round,
    m.prev_score,
    m.prev_status_text,
    m.prev_category,
    m.prev_comment,
    coalesce(a.owner, m.owner) as owner,
    coalesce(a.planned_end, m.planned_end) as planned_end,
    m.ended_event is not null and m.ended_event <= $event as ended,
    m.ended_reason,
    a.import_id,
    a.score,
    a.status_text,
    a.category,
    a.comment,
    a.score is not null or a.category is not null as answered,
    coalesce(c.score is not null or c.category is not null, false) as counted,
    i.file_name,
    i.imported_at,
    i.user_name
from round_measures as m
left join answers as a on a.unit = m.unit and a.measure_key = m.measure_key
left join approved as c on c.unit = m.unit and c.measure_key = m.measure_key
left join imports as i on i.import_id = a.import_id
where m.round_id = $round_id and m.added_event <= $event
order by m.unit, m.seq
