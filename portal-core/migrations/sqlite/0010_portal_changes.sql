-- Changes customers made in the portal (organisation data, personal data,
-- a login e-mail) that the back-office has not confirmed yet. Each is sent
-- as an event; until the back-office confirms it (through the API, or by
-- syncing the same values) the portal shows it as waiting for processing
-- and a sync with other values for its fields is reported, not applied.
-- One open change per customer/account and field group: a second change
-- of the same group updates it.
CREATE TABLE core_portal_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    -- The account whose data changed; NULL for the organisation's data.
    account_id INTEGER REFERENCES core_users(id) ON DELETE CASCADE,
    field_group TEXT NOT NULL,
    -- JSON: {"field": {"old": "...", "new": "..."}}
    fields TEXT NOT NULL,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT
);
CREATE INDEX core_portal_changes_open ON core_portal_changes (tenant_id, customer_id) WHERE confirmed_at IS NULL;
CREATE INDEX core_portal_changes_by_id ON core_portal_changes (tenant_id, id);
