-- Events to the back-office (a change request, later tickets and
-- move-ins): written in the change's own transaction, delivered to the
-- tenant's webhook from this outbox with retry and backoff (like mail),
-- and listable through the API. One webhook per tenant; its secret signs
-- every delivery (HMAC-SHA256 over the timestamp and the body).
CREATE TABLE core_webhooks (
    tenant_id INTEGER PRIMARY KEY REFERENCES core_tenants(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE core_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    claim_token TEXT,
    delivered_at TEXT,
    failed_at TEXT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX core_events_due ON core_events (delivered_at, failed_at, next_attempt_at);
CREATE INDEX core_events_tenant ON core_events (tenant_id, id);
