-- Full-text search of calls for the console: a call matches a word found in its transcript
-- lines, its summary or the names of the people on the appointments it touched. Each is indexed
-- on its own (as on PostgreSQL), so a transcript line costs one index write however long the
-- call, and what is deleted later (retention) leaves the index with it. Accents are kept and
-- words are not stemmed, as PostgreSQL's `simple` configuration does, so both match alike.

-- Transcript lines get a stable integer key for their index (a table's implicit rowid may
-- change on VACUUM): the table is rebuilt with one, the old key kept as a unique pair.
create table call_transcript_lines_keyed (
    id integer primary key,
    vapi_call_id text not null,
    seq integer not null,
    role text not null,
    text text not null,
    seconds_from_start real,
    unique (vapi_call_id, seq)
);
insert into call_transcript_lines_keyed (vapi_call_id, seq, role, text, seconds_from_start)
select vapi_call_id, seq, role, text, seconds_from_start
  from call_transcript_lines order by vapi_call_id, seq;
drop table call_transcript_lines;
alter table call_transcript_lines_keyed rename to call_transcript_lines;

-- The lines' index reads its text from the table (external content), kept by these triggers.
create virtual table call_lines_fts using fts5(
    text,
    content = 'call_transcript_lines', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
create trigger call_lines_fts_added after insert on call_transcript_lines
begin insert into call_lines_fts (rowid, text) values (new.id, new.text); end;
create trigger call_lines_fts_removed after delete on call_transcript_lines
begin insert into call_lines_fts (call_lines_fts, rowid, text) values ('delete', old.id, old.text); end;
create trigger call_lines_fts_changed after update on call_transcript_lines
begin
    insert into call_lines_fts (call_lines_fts, rowid, text) values ('delete', old.id, old.text);
    insert into call_lines_fts (rowid, text) values (new.id, new.text);
end;
insert into call_lines_fts (call_lines_fts) values ('rebuild');

-- A call's summary and the attendees' names of its appointments: one small document per call,
-- rebuilt whenever either changes. `call_search` gives each call a stable integer key for the
-- index, which is contentless (the text stays in its own tables).
create table call_search (
    id integer primary key,
    vapi_call_id text not null unique
);
create virtual table call_search_fts using fts5(
    summary, names,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Inserting a call id here rebuilds that call's document (or drops it when the call is gone):
-- the one place the document is written, so every trigger below only says which call changed.
create view call_search_refresh (vapi_call_id) as select null where 0;
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
