-- Purpose: where each responsible unit of a reporting round stands with its answers as of an
--          event: ikke påbegynt, utkast (a draft saved on «Mine tiltak»), sendt inn (a
--          round-return import: a returned workbook or «Send inn»), godkjent or sendt tilbake
--          (the coordinator's review, with its comment to the unit); the newest step wins.
-- Grain: one row per responsible unit of the round (its measures' units), by unit.
-- Parameters: $round_id, $event (the newest event taken into account)
with r as (
    select * from rounds where round_id = $round_id
),

units as (
    select distinct m.unit
    from round_measures as m
    where m.round_id = $round_id and m.added_event <= $event
),

submitted as (
    select i.unit, 'sendt inn' as state, null as comment, e.event_id, i.user_name, i.file_name
    from imports_at($event) as i
    inner join import_events as e on e.import_id = i.import_id and e.action = 'importert'
    cross join r
    where
        i.layout = 'round_return'
        and i.label = r.label
        and exists (
            select 1 from status_reports as s
            where s.import_id = i.import_id and s.plan = r.plan
        )
),

steps as (
    select distinct
        d.unit, 'utkast' as state, null as comment, d.saved_event as event_id,
        d.saved_by as user_name, null as file_name
    from round_drafts as d
    where d.round_id = $round_id and d.saved_event <= $event
    union all
    select v.unit, v.state, v.comment, v.event_id, v.user_name, null as file_name
    from round_reviews as v
    where v.round_id = $round_id and v.event_id <= $event
    union all
    select * from submitted
),

-- a returned workbook taken back by the coordinator is approved at the event that stored it:
-- at one event the review comes after the submission
last_step as (
    select * from steps
    qualify row_number() over (
        partition by unit order by event_id desc, state = 'sendt inn' asc
    ) = 1
),

last_review as (
    select * from steps
    where state in ('godkjent', 'sendt tilbake')
    qualify row_number() over (partition by unit order by event_id desc) = 1
),

last_submit as (
    select * from submitted
    qualify row_number() over (partition by unit order by event_id desc) = 1
)

select
    u.unit,
    coalesce(l.state, 'ikke påbegynt') as state,
    l.event_id,
    e.happened_at as state_at,
    l.user_name as state_by,
    case when l.state = 'sendt tilbake' then l.comment end as comment,
    rv.comment as review_comment,
    ls.event_id as submitted_event,
    ls.file_name as submitted_file,
    se.happened_at as submitted_at,
    ls.user_name as submitted_by
from units as u
left join last_step as l on l.unit = u.unit
left join import_events as e on e.event_id = l.event_id
left join last_review as rv on rv.unit = u.unit
left join last_submit as ls on ls.unit = u.unit
left join import_events as se on se.event_id = ls.event_id
order by u.unit
