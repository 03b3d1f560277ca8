-- Invoices of a customer (seeds 000, 001, 004), synced from the back-office
-- by external id. Money is integer cents with an ISO currency; a negative
-- total is a credit; status refund_pending is seed 004's "awaiting payment
-- processing" with the date of the refund. Lines are kept as the JSON the
-- back-office sent (shown, never queried). pdf_key: an uploaded PDF in
-- core's blob store (else the portal renders one).
CREATE TABLE invoices_invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    number TEXT NOT NULL,
    contract TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL,
    due_on TEXT,
    currency TEXT NOT NULL DEFAULT 'EUR',
    total_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'refund_pending')),
    refund_on TEXT,
    lines_json TEXT NOT NULL DEFAULT '[]',
    pdf_key TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
-- The list: newest first per customer, keyset on (issued_on, id).
CREATE INDEX invoices_by_customer ON invoices_invoices (customer_id, issued_on DESC, id DESC);
CREATE INDEX invoices_open ON invoices_invoices (customer_id, status);
