-- One counter every change to the appointments table bumps in the same transaction. A call keeps
-- the open times it fetched only while the counter it saw is current, so a booking made through
-- another replica (or a webhook that reached another replica) is never hidden from it.
create table calendar_version (
    id integer primary key,
    version bigint not null
);
insert into calendar_version (id, version) values (1, 0);
