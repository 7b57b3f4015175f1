-- A call the service heard of only through its tool calls (VAPI sent no status message, or none
-- reached us) had no record, so the console's links to it led nowhere. New tool calls create the
-- record; this gives one to each such call already logged: in progress as of its first tool
-- call or appointment change, which the console shows as stale.
insert into calls (vapi_call_id, status, hang_count, sort_at, created_at, updated_at)
select call_id, 'in-progress', 0, min(first_at), min(first_at), min(first_at)
from (
    select call_id, created_at as first_at from tool_invocations where call_id is not null
    union all
    select vapi_call_id as call_id, created_at as first_at from call_appointments
) seen
where call_id not in (select vapi_call_id from calls)
group by call_id;
