-- {name}: rows of a customer, written by the back-office or the module.
-- Every row carries tenant_id and customer_id: store functions reach them
-- only through the principal's Reach.
CREATE TABLE {name}_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX {name}_items_by_customer ON {name}_items (tenant_id, customer_id, id);
