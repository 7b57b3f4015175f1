-- The waitlist: callers who want a time that is full (one row per wish, keyed by the number they
-- called from), the times that open up for them (one row per appointment type and start, so a
-- freed time is found once whatever the number of replicas), and each caller a time was offered
-- to (one row per time and caller, so nobody is offered the same time twice). A process takes an
-- opening to offer by moving it from `open` to `offering` in one conditional update.
create table waitlist_entries (
    tenant text not null,
    id text not null,
    -- Order of joining (first come, first called), also among entries of the same instant.
    seq bigint not null,
    phone text not null,
    name text not null,
    event_type_id bigint not null,
    first_day text not null,
    last_day text not null,
    part_of_day text,
    state text not null,
    booked_uid text,
    created_at text not null,
    updated_at text not null,
    primary key (tenant, id)
);
create index waitlist_entries_phone on waitlist_entries (tenant, phone, state);
create index waitlist_entries_waiting on waitlist_entries (tenant, state, seq);

create table waitlist_openings (
    tenant text not null,
    event_type_id bigint not null,
    slot_start text not null,
    duration_minutes bigint not null,
    source_uid text not null,
    state text not null,
    entry_id text,
    phone text,
    reservation_uid text,
    held_until text,
    vapi_call_id text,
    booked_uid text,
    offers bigint not null default 0,
    detail text,
    created_at text not null,
    updated_at text not null,
    primary key (tenant, event_type_id, slot_start)
);
create index waitlist_openings_state on waitlist_openings (tenant, state, slot_start);
create index waitlist_openings_vapi_call on waitlist_openings (vapi_call_id);

create table waitlist_offers (
    tenant text not null,
    event_type_id bigint not null,
    slot_start text not null,
    entry_id text not null,
    phone text not null,
    outcome text not null,
    vapi_call_id text,
    created_at text not null,
    updated_at text not null,
    primary key (tenant, event_type_id, slot_start, entry_id)
);
create index waitlist_offers_created on waitlist_offers (tenant, created_at);
