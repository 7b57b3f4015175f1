-- Calls the business makes (reminders before appointments, follow-ups after a no-show): one row
-- per appointment, kind, start and lead time, so each is planned exactly once whatever the
-- number of replicas and restarts. A process claims a due row by moving it from `scheduled` to
-- `placing` in one conditional update; only the one whose update changed the row places it.
create table outbound_calls (
    tenant text not null,
    kind text not null,
    booking_uid text not null,
    appointment_start text not null,
    lead_minutes bigint not null,
    phone text not null,
    attendee_name text,
    due_at text not null,
    state text not null,
    attempts bigint not null default 0,
    claimed_by text,
    vapi_call_id text,
    outcome text,
    detail text,
    created_at text not null,
    updated_at text not null,
    primary key (tenant, kind, booking_uid, appointment_start, lead_minutes)
);
create index outbound_calls_due on outbound_calls (tenant, state, due_at);
create index outbound_calls_vapi_call on outbound_calls (vapi_call_id);
create index outbound_calls_booking on outbound_calls (tenant, booking_uid);

-- Numbers that asked not to be called by the business (a caller's "please don't call me", or
-- staff with `vapi-cal outbound opt-out`).
create table outbound_opt_outs (
    tenant text not null,
    phone text not null,
    source text not null,
    created_at text not null,
    primary key (tenant, phone)
);
