-- One-time codes sent to the email a booking was made with, for callers without a phone number,
-- and the emails they proved. A proof holds for its call only. Only a hash of the code is kept.
create table email_proofs (
    id text primary key,
    call_id text not null,
    email text not null,
    -- sha256 of the row id and the code; null when nothing was sent (the email has no booking),
    -- so the row still counts against the call's sends without telling the caller so.
    code_hash text,
    -- wrong codes tried against this row
    attempts integer not null,
    sent_at text not null,
    expires_at text not null,
    proven_at text
);
create index email_proofs_call on email_proofs (call_id, email);
create index email_proofs_sent_at on email_proofs (sent_at);

-- Replaced by email_proofs: an email named in a tool's arguments is no proof.
drop table call_emails;
