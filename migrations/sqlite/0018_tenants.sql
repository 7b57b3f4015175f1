-- Tenants: every table that holds one business's data carries the business's slug, and every
-- query is scoped by it. Rows written before tenants existed belong to `default`, the tenant the
-- single-business settings define.
--
-- Tables keyed by Cal.com's ids or by a name the service chooses are keyed by tenant too, since
-- two businesses may share one Cal.com account (and its booking uids). Tables keyed by VAPI's call
-- and tool-call ids (unique across VAPI) keep their keys; their writes never touch another
-- tenant's row, and their reads are scoped.

-- The search index's triggers read appointments; they are made again below, matching a call's
-- links to its own tenant's bookings.
drop trigger if exists call_search_appointment_added;
drop trigger if exists call_search_attendees_changed;
drop trigger if exists call_search_appointment_removed;
drop trigger if exists call_search_refresh;

create table appointments_by_tenant (
    tenant text not null,
    cal_uid text not null,
    cal_id integer,
    event_type_id integer,
    title text,
    description text,
    start_time text,
    end_time text,
    location text,
    status text not null,
    organizer_id integer,
    organizer_name text,
    organizer_email text,
    attendees text not null,
    responses text,
    metadata text,
    paid integer not null,
    payment_id text,
    cancellation_reason text,
    request_reschedule integer not null,
    attendee_phone text,
    attendee_email text,
    rescheduled_from_uid text,
    rescheduled_to_uid text,
    vapi_call_id text,
    no_show integer not null,
    last_event_at text not null,
    created_at text not null,
    updated_at text not null,
    primary key (tenant, cal_uid)
);
insert into appointments_by_tenant
    select 'default', cal_uid, cal_id, event_type_id, title, description, start_time, end_time,
        location, status, organizer_id, organizer_name, organizer_email, attendees, responses,
        metadata, paid, payment_id, cancellation_reason, request_reschedule, attendee_phone,
        attendee_email, rescheduled_from_uid, rescheduled_to_uid, vapi_call_id, no_show,
        last_event_at, created_at, updated_at
    from appointments;
drop table appointments;
alter table appointments_by_tenant rename to appointments;
create index appointments_attendee_phone on appointments (tenant, attendee_phone, start_time);
create index appointments_attendee_email on appointments (tenant, attendee_email, start_time);
create index appointments_start_time on appointments (tenant, start_time);
create index appointments_vapi_call_id on appointments (vapi_call_id);

alter table call_appointments add column tenant text not null default 'default';

create trigger call_search_refresh instead of insert on call_search_refresh
begin
    insert into call_search (vapi_call_id)
    select new.vapi_call_id
     where not exists (select 1 from call_search where vapi_call_id = new.vapi_call_id);
    delete from call_search_fts
     where rowid = (select id from call_search where vapi_call_id = new.vapi_call_id);
    insert into call_search_fts (rowid, summary, names)
    select s.id,
           c.summary,
           (select group_concat(case when j.type = 'object' then j.value ->> '$.name' end, ' ')
              from call_appointments ca
              join appointments a on a.tenant = ca.tenant and a.cal_uid = ca.appointment_uid,
                   json_each(case when json_valid(a.attendees) then a.attendees else '[]' end) j
             where ca.vapi_call_id = s.vapi_call_id)
      from call_search s join calls c on c.vapi_call_id = s.vapi_call_id
     where s.vapi_call_id = new.vapi_call_id;
    delete from call_search
     where vapi_call_id = new.vapi_call_id
       and not exists (select 1 from calls c where c.vapi_call_id = new.vapi_call_id);
end;
create trigger call_search_appointment_added after insert on appointments
begin
    insert into call_search_refresh
    select vapi_call_id from call_appointments
     where tenant = new.tenant and appointment_uid = new.cal_uid;
end;
create trigger call_search_attendees_changed after update of attendees on appointments
when old.attendees is not new.attendees
begin
    insert into call_search_refresh
    select vapi_call_id from call_appointments
     where tenant = new.tenant and appointment_uid = new.cal_uid;
end;
create trigger call_search_appointment_removed after delete on appointments
begin
    insert into call_search_refresh
    select vapi_call_id from call_appointments
     where tenant = old.tenant and appointment_uid = old.cal_uid;
end;

create table cal_webhook_events_by_tenant (
    id text primary key,
    tenant text not null,
    dedupe_key text not null,
    trigger_event text not null,
    booking_uid text,
    received_at text not null,
    body text not null,
    unique (tenant, dedupe_key)
);
insert into cal_webhook_events_by_tenant
    select id, 'default', dedupe_key, trigger_event, booking_uid, received_at, body
    from cal_webhook_events;
drop table cal_webhook_events;
alter table cal_webhook_events_by_tenant rename to cal_webhook_events;
create index cal_webhook_events_received_at on cal_webhook_events (received_at);

create table sync_state_by_tenant (
    tenant text not null,
    name text not null,
    value text not null,
    updated_at text not null,
    primary key (tenant, name)
);
insert into sync_state_by_tenant select 'default', name, value, updated_at from sync_state;
drop table sync_state;
alter table sync_state_by_tenant rename to sync_state;

create table calendar_versions (
    tenant text primary key,
    version bigint not null
);
insert into calendar_versions select 'default', version from calendar_version;
drop table calendar_version;

alter table calls add column tenant text not null default 'default';
drop index calls_sort_at;
create index calls_sort_at on calls (tenant, sort_at, vapi_call_id);
drop index calls_customer_number;
create index calls_customer_number on calls (tenant, customer_number);
alter table call_transcript_lines add column tenant text not null default 'default';
alter table call_languages add column tenant text not null default 'default';
alter table tool_invocations add column tenant text not null default 'default';
alter table tool_claims add column tenant text not null default 'default';
alter table email_proofs add column tenant text not null default 'default';
alter table sync_runs add column tenant text not null default 'default';
drop index sync_runs_kind;
create index sync_runs_kind on sync_runs (tenant, kind, started_at);
-- A console session of one tenant's operator names it; the super-admin's names none.
alter table dashboard_sessions add column tenant text;

-- What `assistant push` last sent for each business's assistant (secrets masked), so a push
-- can tell that the live assistant was edited on VAPI since, and stop instead of overwriting it.
create table assistant_pushes (
    tenant text not null,
    assistant_id text not null,
    body text not null,
    pushed_at text not null,
    primary key (tenant, assistant_id)
);

-- The version of the assistant that served each call (VAPI's `assistantVersion`), so calls and
-- their figures can be told apart by what the assistant was when they happened.
alter table calls add column assistant_version text;
