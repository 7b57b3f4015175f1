-- Answered claims are pruned with the tool-call log (TOOL_LOG_RETENTION_DAYS): find old ones
-- without a scan.
create index if not exists tool_claims_finished_at on tool_claims (finished_at);
