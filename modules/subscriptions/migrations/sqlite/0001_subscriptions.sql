-- Subscriptions of a customer (seed 000: yearly or monthly; one-off
-- services are never shown) with their products and cost specification,
-- synced from the back-office; and change requests customers send (seed
-- 001: subject required, "I agree to the extra costs"), which the
-- back-office lists, acknowledges and settles.
CREATE TABLE subscriptions_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    period TEXT NOT NULL CHECK (period IN ('monthly', 'yearly', 'once')),
    started_on TEXT,
    next_invoice_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    currency TEXT NOT NULL DEFAULT 'EUR',
    products_json TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX subscriptions_by_customer ON subscriptions_subscriptions (customer_id);

CREATE TABLE subscriptions_change_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    agreed_extra_costs BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'in_progress', 'done', 'rejected')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX subscriptions_requests_by_status ON subscriptions_change_requests (tenant_id, status, id);
CREATE INDEX subscriptions_requests_by_customer ON subscriptions_change_requests (customer_id, id);
