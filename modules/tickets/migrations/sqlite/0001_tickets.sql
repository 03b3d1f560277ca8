-- Tickets (seed 001): a question, improvement or bug report of a customer's
-- contact person, its conversation with support, and the attachments.
CREATE TABLE tickets_tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('question', 'improvement', 'bug')),
    category TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'in_progress', 'waiting', 'closed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tickets_by_customer ON tickets_tickets (tenant_id, customer_id, id);
CREATE INDEX tickets_by_user ON tickets_tickets (tenant_id, user_id, id);
CREATE INDEX tickets_by_change ON tickets_tickets (tenant_id, updated_at, id);

CREATE TABLE tickets_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    ticket_id INTEGER NOT NULL REFERENCES tickets_tickets(id) ON DELETE CASCADE,
    -- The customer's contact person, or NULL for support (then support_name).
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    from_support BOOLEAN NOT NULL,
    support_name TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX tickets_messages_by_ticket ON tickets_messages (ticket_id, id);

CREATE TABLE tickets_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    ticket_id INTEGER NOT NULL REFERENCES tickets_tickets(id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES tickets_messages(id) ON DELETE CASCADE,
    blob_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX tickets_attachments_by_ticket ON tickets_attachments (ticket_id, id);
