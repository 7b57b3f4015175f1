-- One Cal.com request budget per API key, shared by every replica (a token bucket).
-- The key is the sha256 of the API key, never the key itself. Tokens are counted in thousandths
-- so that refill stays integer arithmetic; `version` counts updates. Replicas update it under its row lock.
create table cal_rate_budget (
    key_hash text primary key,
    tokens_milli bigint not null,
    refilled_at text not null,
    blocked_until text,
    version bigint not null
);

-- Named leases: background work only one replica should run at a time (the periodic reconcile).
create table leases (
    name text primary key,
    holder text not null,
    expires_at text not null
);
