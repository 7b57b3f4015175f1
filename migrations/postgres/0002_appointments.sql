-- The local copy of Cal.com bookings, kept true by Cal.com webhooks, our own writes and reconcile.
create table appointments (
    cal_uid text primary key,
    cal_id bigint,
    event_type_id bigint,
    title text,
    description text,
    start_time text,
    end_time text,
    location text,
    status text not null,
    organizer_id bigint,
    organizer_name text,
    organizer_email text,
    attendees text not null,
    responses text,
    metadata text,
    paid bigint not null,
    payment_id text,
    cancellation_reason text,
    request_reschedule bigint not null,
    attendee_phone text,
    attendee_email text,
    rescheduled_from_uid text,
    rescheduled_to_uid text,
    vapi_call_id text,
    no_show bigint not null,
    last_event_at text not null,
    created_at text not null,
    updated_at text not null
);
create index appointments_attendee_phone on appointments (attendee_phone, start_time);
create index appointments_attendee_email on appointments (attendee_email, start_time);
create index appointments_vapi_call_id on appointments (vapi_call_id);

-- Every Cal.com webhook delivery accepted, for audit, replay and de-duplication.
create table cal_webhook_events (
    id text primary key,
    dedupe_key text not null unique,
    trigger_event text not null,
    booking_uid text,
    received_at text not null,
    body text not null
);

-- Small named values the service keeps between runs (sync cursors).
create table sync_state (
    name text primary key,
    value text not null,
    updated_at text not null
);
