-- Accounts and authentication: customers (organisations, by the
-- back-office's customer number), portal accounts, database-backed
-- sessions, single-use link tokens, login throttles and the activity log.
-- Everything several portal processes must share lives here, never only
-- in memory.
CREATE TABLE core_customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, number)
);

-- email_norm and username_norm are lower-cased and trimmed: the lookup keys.
-- A user name is unique per tenant (NULLs do not clash).
CREATE TABLE core_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    username TEXT,
    username_norm TEXT,
    display_name TEXT NOT NULL DEFAULT '',
    lang TEXT CHECK (lang IN ('nl', 'en')),
    is_main BOOLEAN NOT NULL DEFAULT 1,
    active BOOLEAN NOT NULL DEFAULT 1,
    confirmed BOOLEAN NOT NULL DEFAULT 1,
    password_hash TEXT,
    password_changed_at TEXT,
    totp_secret TEXT,
    totp_last_step BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, username_norm)
);
CREATE INDEX core_users_email ON core_users (tenant_id, email_norm);
CREATE INDEX core_users_customer ON core_users (customer_id);

-- A session is found by the hash of its cookie value; stage 'totp' is the
-- step between password and code, on which every protected page answers as
-- logged out. pending_totp holds a secret being enabled until its first code.
CREATE TABLE core_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('totp', 'full')),
    pending_totp TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX core_sessions_user ON core_sessions (user_id);

-- Reset, invitation, confirmation and e-mail change links: only the hash of
-- the token is kept; used_at makes a token single use.
CREATE TABLE core_auth_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX core_auth_tokens_user ON core_auth_tokens (user_id, purpose);

-- Failure counters (login per account and per address, TOTP codes, link
-- requests) with a growing temporary lockout.
CREATE TABLE core_throttle (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    window_start TEXT NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (tenant_id, key)
);

-- What happened to an account, for staff (seed 004's activity tab). No
-- foreign key to core_users: the history outlives a deleted account.
CREATE TABLE core_activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER,
    customer_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX core_activity_user ON core_activity (tenant_id, user_id, created_at);
