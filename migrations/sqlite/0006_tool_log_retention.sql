-- The tool-call log is pruned by age (TOOL_LOG_RETENTION_DAYS): find old rows without a scan.
create index if not exists tool_invocations_created_at on tool_invocations (created_at);
