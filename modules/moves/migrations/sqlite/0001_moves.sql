-- Moving requests (seed 004): a move-out a logged-in customer sends (the
-- move-in wizard will add its own kind), handled by staff: New, Waiting
-- (for the customer or the supplier), Processed, Rejected.
CREATE TABLE moves_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('out')),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'waiting', 'processed', 'rejected')),
    moving_on TEXT NOT NULL,
    -- The end readings as the customer typed them: [{meter, reading}].
    readings_json TEXT NOT NULL DEFAULT '[]',
    new_address TEXT NOT NULL,
    iban TEXT NOT NULL,
    account_holder TEXT NOT NULL,
    -- Staff's message to the customer with the last status change.
    message TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX moves_requests_by_customer ON moves_requests (tenant_id, customer_id, id);
CREATE INDEX moves_requests_by_status ON moves_requests (tenant_id, status, id);
