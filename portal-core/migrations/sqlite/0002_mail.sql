-- Mail: the tenant's sender, its template overrides, and the outbox that
-- mails are written to in the same transaction as the change that caused them.
ALTER TABLE core_tenants ADD COLUMN mail_from_name TEXT;
ALTER TABLE core_tenants ADD COLUMN mail_from_address TEXT;
ALTER TABLE core_tenants ADD COLUMN mail_reply_to TEXT;

CREATE TABLE mail_templates (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    mail_key TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
    form TEXT NOT NULL CHECK (form IN ('formal', 'informal')),
    subject TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, mail_key, lang, form)
);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    mail_key TEXT NOT NULL,
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL,
    from_address TEXT NOT NULL,
    from_name TEXT NOT NULL,
    reply_to TEXT,
    subject TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_tenant ON mail_outbox (tenant_id, id);
