-- One row per VAPI call, from status updates, transcripts, end-of-call reports and the call API.
create table calls (
    vapi_call_id text primary key,
    assistant_id text,
    direction text,
    customer_number text,
    phone_number text,
    status text not null,
    ended_reason text,
    started_at text,
    ended_at text,
    duration_seconds real,
    cost real,
    cost_breakdown text,
    recording_url text,
    summary text,
    structured_data text,
    success_evaluation text,
    success_score real,
    transcript text,
    last_report text,
    report_at text,
    status_at text,
    hang_count integer not null,
    last_hang_at text,
    sort_at text not null,
    created_at text not null,
    updated_at text not null
);
create index calls_sort_at on calls (sort_at, vapi_call_id);
create index calls_customer_number on calls (customer_number);

-- Final transcript lines of a call, in the order they were said.
create table call_transcript_lines (
    vapi_call_id text not null,
    seq integer not null,
    role text not null,
    text text not null,
    seconds_from_start real,
    primary key (vapi_call_id, seq)
);

-- Appointments booked, moved or cancelled by a tool call during a call.
create table call_appointments (
    vapi_call_id text not null,
    appointment_uid text not null,
    action text not null,
    tool_call_id text,
    created_at text not null,
    primary key (vapi_call_id, appointment_uid, action)
);
create index call_appointments_uid on call_appointments (appointment_uid);
create index call_appointments_created_at on call_appointments (created_at);

-- Each run of a sync job: the Cal.com bookings reconcile (cal_bookings) and the VAPI call backfill
-- (vapi_calls). outcome is running, ok or error; counts is JSON text.
create table sync_runs (
    id text primary key,
    kind text not null,
    started_at text not null,
    finished_at text,
    outcome text not null,
    counts text,
    error text
);
create index sync_runs_kind on sync_runs (kind, started_at);
