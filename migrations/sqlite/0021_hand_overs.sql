-- Calls handed over to a person by the service itself: the tool faults each call has had (a
-- fault is ours or the calendar's, never the caller's mistake), and, once a call reached two,
-- when it was handed over, to whom, and whether VAPI's live call control took the transfer.
-- The hand-over is claimed by one conditional update, so replicas answering the same call's
-- tool calls hand it over once.
create table call_hand_overs (
    tenant text not null,
    vapi_call_id text not null,
    faults bigint not null,
    handed_over_at text,
    destination text,
    result text,
    updated_at text not null,
    primary key (tenant, vapi_call_id)
);
