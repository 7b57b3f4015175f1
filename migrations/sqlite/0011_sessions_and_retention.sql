-- Open dashboard sessions: a session cookie works only while its id is here, so signing out
-- (which deletes the row) ends the session on every replica. Expired rows are pruned.
create table dashboard_sessions (
    id text primary key,
    created_at text not null,
    expires_at text not null
);
create index dashboard_sessions_expires_at on dashboard_sessions (expires_at);

-- Retention (*_RETENTION_DAYS) finds old rows without a scan.
create index if not exists cal_webhook_events_received_at on cal_webhook_events (received_at);
create index if not exists sync_runs_started_at on sync_runs (started_at);
