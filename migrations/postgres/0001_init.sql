-- Every tool call VAPI asked for, with what we answered: audit, latency and retry safety.
create table tool_invocations (
    id text primary key,
    call_id text,
    tool_call_id text not null,
    tool text not null,
    arguments text not null,
    result text,
    error text,
    latency_ms bigint not null,
    created_at text not null
);
create index tool_invocations_call_id on tool_invocations (call_id);
create index tool_invocations_tool_call_id on tool_invocations (tool_call_id);
