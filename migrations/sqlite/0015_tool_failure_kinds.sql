-- Whose a failed tool call is (`mistake`: the caller's; `fault`: the service's or the calendar's)
-- and its cause, a short fixed label, so the console can separate them and group them. Rows from
-- before have neither and count as faults.
alter table tool_invocations add column failure_kind text;
alter table tool_invocations add column failure_cause text;
create index tool_invocations_failed_at on tool_invocations (created_at) where error is not null;
