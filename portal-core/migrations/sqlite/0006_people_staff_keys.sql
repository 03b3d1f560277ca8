-- Contact persons (seed 001: first name, last name, gender, phone), an
-- account's external id from the back-office, the customer selected by an
-- account that sees several (parent accounts, seed 002), the tenant's own
-- staff with their sessions (2FA required) and view-as (seed 002), scoped
-- and revocable back-office API keys, and who did what in the activity log.
ALTER TABLE core_users ADD COLUMN first_name TEXT NOT NULL DEFAULT '';
ALTER TABLE core_users ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
ALTER TABLE core_users ADD COLUMN gender TEXT NOT NULL DEFAULT '';
ALTER TABLE core_users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE core_users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX core_users_external ON core_users (tenant_id, external_id);

ALTER TABLE core_sessions ADD COLUMN selected_customer_id INTEGER;

-- Staff roles: admin (everything, including API keys and staff) and support
-- (customers, accounts, view-as).
CREATE TABLE core_staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('admin', 'support')),
    active BOOLEAN NOT NULL DEFAULT 1,
    password_hash TEXT,
    totp_secret TEXT,
    totp_last_step BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (tenant_id, email_norm)
);

-- Stage 'password' (2FA still to do or to set up) or 'full'. view_as_user_id:
-- the portal account this staff member is looking through (read-only).
CREATE TABLE core_staff_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    staff_id INTEGER NOT NULL REFERENCES core_staff(id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('password', 'full')),
    pending_totp TEXT,
    view_as_user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT
);
CREATE INDEX core_staff_sessions_staff ON core_staff_sessions (staff_id);

-- Scopes: '*' or a comma-separated list (tenant, mail, accounts, sync, a module name).
ALTER TABLE core_api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '*';
ALTER TABLE core_api_tokens ADD COLUMN revoked_at TEXT;
ALTER TABLE core_api_tokens ADD COLUMN last_used_at TEXT;

-- actor_id: the staff member or API key (actor 'staff' / 'api_key'); the
-- portal account is user_id. object: what else was changed ('location:12').
ALTER TABLE core_activity ADD COLUMN actor_id INTEGER;
ALTER TABLE core_activity ADD COLUMN object TEXT NOT NULL DEFAULT '';
CREATE INDEX core_activity_customer ON core_activity (tenant_id, customer_id, id);
