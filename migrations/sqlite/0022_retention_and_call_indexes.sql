-- Retention is each tenant's: every prune finds its tenant's old rows by (tenant, time), so a
-- business that keeps everything never makes another's prune walk its rows. These replace the
-- time-only indexes of the same tables.
drop index if exists tool_invocations_created_at;
create index tool_invocations_tenant_created_at on tool_invocations (tenant, created_at);
drop index if exists tool_claims_finished_at;
create index tool_claims_tenant_finished_at on tool_claims (tenant, finished_at);
drop index if exists email_proofs_sent_at;
create index email_proofs_tenant_sent_at on email_proofs (tenant, sent_at);
drop index if exists cal_webhook_events_received_at;
create index cal_webhook_events_tenant_received_at on cal_webhook_events (tenant, received_at);
drop index if exists sync_runs_started_at;
create index sync_runs_tenant_started_at on sync_runs (tenant, started_at);
create index call_hand_overs_tenant_updated_at on call_hand_overs (tenant, updated_at);

-- A call's bookings (the same-call check and the per-call limit of every booking) are read by
-- tenant and call, soonest first. With only the call-id index, SQLite preferred walking the
-- tenant's whole (tenant, start_time) index to avoid the sort; this index serves both.
create index appointments_tenant_call on appointments (tenant, vapi_call_id, start_time);
