-- Nothing looks tool calls up by tool-call id any more (a write's claim lives in tool_claims),
-- so this index only slowed down the log's inserts, the busiest write of the service.
drop index if exists tool_invocations_tool_call_id;
