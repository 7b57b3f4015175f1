-- Full-text search of calls for the console: a call matches a word found in its transcript
-- lines, its summary or the names of the people on the appointments it touched. Each is indexed
-- where it is stored (GIN over its tsvector), so what arrives or is deleted later is searched
-- as it is, with nothing to keep in step. The `simple` configuration neither stems nor drops
-- words, so Spanish and English are matched alike, word for word.

-- The attendees' names of an appointment (its attendees are JSON text), or null when that text
-- is not a JSON list: a bad row is never a failed write.
create function call_search_names(attendees text) returns text
language plpgsql immutable parallel safe as $$
begin
    return (select string_agg(e ->> 'name', ' ')
              from jsonb_array_elements(attendees::jsonb) e
             where jsonb_typeof(e) = 'object');
exception when others then
    return null;
end
$$;

create index call_transcript_lines_search on call_transcript_lines
    using gin (to_tsvector('simple', text));
create index calls_summary_search on calls
    using gin (to_tsvector('simple', coalesce(summary, '')));
create index appointments_names_search on appointments
    using gin (to_tsvector('simple', coalesce(call_search_names(attendees), '')));

-- The Calls page lists the ended reasons present and filters by one.
create index calls_ended_reason on calls (ended_reason);
