-- Advice dossiers (seed 003, an adviser's portal): a dossier belongs to a
-- customer (the household), has one or two clients (portal accounts), an
-- adviser and perhaps a handler, products the client may follow, action
-- items (upload, form, sign), documents and appointments.

-- The office's advisers and handlers, synced by the back-office.
CREATE TABLE dossiers_advisers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    -- The signature under mails ({dossier.advisor_email_signature}).
    signature TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, external_id)
);

CREATE TABLE dossiers_dossiers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    -- open, or closed (the service ended; kept for the retention period).
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_on TEXT,
    adviser_id INTEGER REFERENCES dossiers_advisers(id) ON DELETE SET NULL,
    handler_id INTEGER REFERENCES dossiers_advisers(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX dossiers_by_customer ON dossiers_dossiers (tenant_id, customer_id);

-- One or two clients per dossier; a client is a portal account (a partner
-- may have a user name and no e-mail address).
CREATE TABLE dossiers_clients (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    dossier_id INTEGER NOT NULL REFERENCES dossiers_dossiers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position IN (1, 2)),
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (dossier_id, position)
);

-- Products with the lender's status (e.g. the mortgage at "waiting for
-- documents"); a tab only where `visible`.
CREATE TABLE dossiers_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    dossier_id INTEGER NOT NULL REFERENCES dossiers_dossiers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    visible BOOLEAN NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);

-- Action items. Statuses: requested, received, provisionally_approved,
-- approved, rejected (superseded by a new action: `replaces`), expired.
CREATE TABLE dossiers_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    dossier_id INTEGER NOT NULL REFERENCES dossiers_dossiers(id) ON DELETE CASCADE,
    external_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('upload', 'form', 'sign')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'received', 'provisionally_approved', 'approved', 'rejected', 'expired')),
    -- The adviser's remark (a rejection's reason), shown to the client.
    remark TEXT NOT NULL DEFAULT '',
    -- How long an approved document stays valid, in months (salary slip 3).
    valid_months INTEGER,
    -- Form: [{key, label, type (text|number|date|choice|yes_no), options, required}].
    -- Sign: [{title, text}], each part accepted on its own.
    spec_json TEXT NOT NULL DEFAULT '[]',
    -- The rejected action this one asks again for.
    replaces INTEGER REFERENCES dossiers_actions(id) ON DELETE SET NULL,
    -- Seen in a "new actions" mail.
    notified BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX dossiers_actions_by_dossier ON dossiers_actions (tenant_id, dossier_id, status);

-- An upload action's files, merged into one PDF (`pdf_key`) as they come;
-- the originals' names are kept for the list.
CREATE TABLE dossiers_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    action_id INTEGER NOT NULL REFERENCES dossiers_actions(id) ON DELETE CASCADE,
    pdf_key TEXT NOT NULL,
    names TEXT NOT NULL,
    pages INTEGER NOT NULL,
    size INTEGER NOT NULL,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (action_id)
);

CREATE TABLE dossiers_answers (
    action_id INTEGER PRIMARY KEY REFERENCES dossiers_actions(id) ON DELETE CASCADE,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    answers_json TEXT NOT NULL,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    answered_at TEXT NOT NULL
);

-- Who signed what, when, from where; the hash is SHA-256 of the exact text
-- accepted; the signed copy is a PDF.
CREATE TABLE dossiers_signatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    action_id INTEGER NOT NULL REFERENCES dossiers_actions(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    signer_name TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL,
    pdf_key TEXT NOT NULL
);

-- Documents: a dossier's, or the office's standard ones (dossier_id NULL).
CREATE TABLE dossiers_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    dossier_id INTEGER REFERENCES dossiers_dossiers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);

CREATE TABLE dossiers_appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    dossier_id INTEGER NOT NULL REFERENCES dossiers_dossiers(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    -- What to bring or do, one item a line.
    items TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, external_id)
);
