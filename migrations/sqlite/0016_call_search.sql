-- Full-text search of calls for the console: one document per call holding its transcript lines,
-- its summary and the names of the people on the appointments it touched. Those arrive at
-- different times (lines during the call, the summary with the report, names when a booking is
-- made or synced) and leave at different times (retention), so triggers on every one of them
-- rebuild the call's document from what is stored.
--
-- `call_search` gives each call a stable integer rowid for the index (the calls table's own
-- rowid may change on VACUUM). The index is contentless: the text stays in its own tables.
-- Accents are kept, as PostgreSQL's `simple` configuration keeps them, so both match alike.
create table call_search (
    id integer primary key,
    vapi_call_id text not null unique
);
create virtual table call_search_fts using fts5(
    transcript, summary, names,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Inserting a call id here rebuilds that call's document (or drops it when the call is gone):
-- the one place the document is written, so every trigger below says only which call changed.
create view call_search_refresh (vapi_call_id) as select null where 0;
create trigger call_search_refresh instead of insert on call_search_refresh
begin
    insert into call_search (vapi_call_id)
    select new.vapi_call_id
     where not exists (select 1 from call_search where vapi_call_id = new.vapi_call_id);
    delete from call_search_fts
     where rowid = (select id from call_search where vapi_call_id = new.vapi_call_id);
    insert into call_search_fts (rowid, transcript, summary, names)
    select s.id,
           (select group_concat(l.text, ' ') from call_transcript_lines l
             where l.vapi_call_id = s.vapi_call_id),
           c.summary,
           (select group_concat(case when j.type = 'object' then j.value ->> '$.name' end, ' ')
              from call_appointments ca
              join appointments a on a.cal_uid = ca.appointment_uid,
                   json_each(case when json_valid(a.attendees) then a.attendees else '[]' end) j
             where ca.vapi_call_id = s.vapi_call_id)
      from call_search s join calls c on c.vapi_call_id = s.vapi_call_id
     where s.vapi_call_id = new.vapi_call_id;
    delete from call_search
     where vapi_call_id = new.vapi_call_id
       and not exists (select 1 from calls c where c.vapi_call_id = new.vapi_call_id);
end;

create trigger call_search_call_added after insert on calls
begin insert into call_search_refresh values (new.vapi_call_id); end;
create trigger call_search_summary_changed after update of summary on calls
when old.summary is not new.summary
begin insert into call_search_refresh values (new.vapi_call_id); end;
create trigger call_search_call_removed after delete on calls
begin insert into call_search_refresh values (old.vapi_call_id); end;

create trigger call_search_line_added after insert on call_transcript_lines
begin insert into call_search_refresh values (new.vapi_call_id); end;
create trigger call_search_line_changed after update on call_transcript_lines
begin
    insert into call_search_refresh values (old.vapi_call_id);
    insert into call_search_refresh values (new.vapi_call_id);
end;
create trigger call_search_line_removed after delete on call_transcript_lines
begin insert into call_search_refresh values (old.vapi_call_id); end;

create trigger call_search_link_added after insert on call_appointments
begin insert into call_search_refresh values (new.vapi_call_id); end;
create trigger call_search_link_removed after delete on call_appointments
begin insert into call_search_refresh values (old.vapi_call_id); end;

create trigger call_search_appointment_added after insert on appointments
begin
    insert into call_search_refresh
    select vapi_call_id from call_appointments where appointment_uid = new.cal_uid;
end;
create trigger call_search_attendees_changed after update of attendees on appointments
when old.attendees is not new.attendees
begin
    insert into call_search_refresh
    select vapi_call_id from call_appointments where appointment_uid = new.cal_uid;
end;
create trigger call_search_appointment_removed after delete on appointments
begin
    insert into call_search_refresh
    select vapi_call_id from call_appointments where appointment_uid = old.cal_uid;
end;

-- The calls already stored.
insert into call_search_refresh select vapi_call_id from calls;

-- The Calls page lists the ended reasons present and filters by one.
create index calls_ended_reason on calls (ended_reason);
