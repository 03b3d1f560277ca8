-- Advance amounts (seed 004, "voorschotbedrag"): per contract the amount
-- the customer pays in advance, the original the supplier set (the range a
-- customer may choose from is taken around it, so repeated changes cannot
-- creep outside it), and every change.
CREATE TABLE advances_contracts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    contract_number TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- 'monthly', 'quarterly' or 'yearly'.
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    currency TEXT NOT NULL,
    -- The supplier's amount: the range is taken around it.
    original_cents INTEGER NOT NULL,
    -- What the customer pays now (the original, or the customer's choice).
    amount_cents INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX advances_contracts_by_customer ON advances_contracts (tenant_id, customer_id);

CREATE TABLE advances_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    contract_id INTEGER NOT NULL REFERENCES advances_contracts(id) ON DELETE CASCADE,
    from_cents INTEGER NOT NULL,
    to_cents INTEGER NOT NULL,
    -- 'customer' (in the portal) or 'back_office' (a new original).
    source TEXT NOT NULL CHECK (source IN ('customer', 'back_office')),
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    by_name TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX advances_changes_by_contract ON advances_changes (contract_id, id);
