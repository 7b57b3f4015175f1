-- Exactly-once write tool calls: a call is claimed here before any Cal.com request, and the
-- claim keeps the answer so that duplicates (retries, other replicas) get it without a second
-- change. `call_key` is the VAPI call id, or '' when the message carried none.
create table tool_claims (
    call_key text not null,
    tool_call_id text not null,
    tool text not null,
    owner text not null,
    state text not null,
    result text,
    error text,
    takeovers integer not null,
    claimed_at text not null,
    expires_at text not null,
    finished_at text,
    primary key (call_key, tool_call_id)
);

-- Email addresses a caller gave during a call, for calls that carry no caller number: they are
-- the caller's proof of which appointments are theirs.
create table call_emails (
    call_id text not null,
    email text not null,
    created_at text not null,
    primary key (call_id, email)
);
