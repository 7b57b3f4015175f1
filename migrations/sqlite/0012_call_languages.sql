-- The language VAPI detected on a call (`language-change-detected`), so every replica answers
-- the call's later tool calls in it. A call is short: rows older than two days are pruned as new
-- ones arrive.
create table call_languages (
    vapi_call_id text primary key,
    language text not null,
    updated_at text not null
);
create index call_languages_updated_at on call_languages (updated_at);
