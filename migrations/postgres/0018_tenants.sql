-- Tenants: every table that holds one business's data carries the business's slug, and every
-- query is scoped by it. Rows written before tenants existed belong to `default`, the tenant the
-- single-business settings define.
--
-- Tables keyed by Cal.com's ids or by a name the service chooses are keyed by tenant too, since
-- two businesses may share one Cal.com account (and its booking uids). Tables keyed by VAPI's call
-- and tool-call ids (unique across VAPI) keep their keys; their writes never touch another
-- tenant's row, and their reads are scoped.

alter table appointments add column tenant text not null default 'default';
alter table appointments drop constraint appointments_pkey;
alter table appointments add primary key (tenant, cal_uid);
drop index appointments_attendee_phone;
create index appointments_attendee_phone on appointments (tenant, attendee_phone, start_time);
drop index appointments_attendee_email;
create index appointments_attendee_email on appointments (tenant, attendee_email, start_time);
create index appointments_start_time on appointments (tenant, start_time);

alter table cal_webhook_events add column tenant text not null default 'default';
alter table cal_webhook_events drop constraint cal_webhook_events_dedupe_key_key;
alter table cal_webhook_events add constraint cal_webhook_events_tenant_dedupe_key unique (tenant, dedupe_key);

alter table sync_state add column tenant text not null default 'default';
alter table sync_state drop constraint sync_state_pkey;
alter table sync_state add primary key (tenant, name);

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
alter table call_appointments add column tenant text not null default 'default';
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
