-- Every change of a call's language gets the next number of one counter, taken in the change's
-- own transaction (the counter's row lock orders them), so a replica reads only the changes since
-- the last number it saw: one query every few seconds per replica instead of one per tool call.
alter table call_languages add column version bigint not null default 0;
create index call_languages_version on call_languages (version);
create table call_language_version (
    id integer primary key,
    version bigint not null
);
insert into call_language_version (id, version) values (1, 0);
