-- Organisations and access: what the back-office knows of a customer, its
-- locations, a parent customer ("domein contractant", seed 002), the roles
-- of portal accounts (seed 001) and their rights per location and per
-- child customer (seed 002).
ALTER TABLE core_customers ADD COLUMN external_id TEXT;
ALTER TABLE core_customers ADD COLUMN parent_id INTEGER REFERENCES core_customers(id) ON DELETE SET NULL;
ALTER TABLE core_customers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE core_customers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE core_customers ADD COLUMN payment_method TEXT NOT NULL DEFAULT '';
ALTER TABLE core_customers ADD COLUMN invoice_address TEXT NOT NULL DEFAULT '';
ALTER TABLE core_customers ADD COLUMN correspondence_address TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX core_customers_external ON core_customers (tenant_id, external_id);
CREATE INDEX core_customers_parent ON core_customers (parent_id);

CREATE TABLE core_locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    external_id TEXT,
    name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX core_locations_customer ON core_locations (customer_id);

-- admin (Beheerder), employee (Medewerker), employee_plus (Medewerker+,
-- only together with employee).
CREATE TABLE core_user_roles (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'employee', 'employee_plus')),
    PRIMARY KEY (user_id, role)
);

-- A row is read access; can_write adds write (write implies read).
CREATE TABLE core_location_grants (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    can_write BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, location_id)
);

-- The child customers an extra account of a parent customer may see.
CREATE TABLE core_child_grants (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, customer_id)
);

-- Accounts made before roles existed: main accounts administer their organisation.
INSERT INTO core_user_roles (tenant_id, user_id, role)
SELECT tenant_id, id, 'admin' FROM core_users WHERE is_main = 1;
