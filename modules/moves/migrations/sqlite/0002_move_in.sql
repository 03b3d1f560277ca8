-- The public move-in (seed 004): the addresses a resident may move in to,
-- the wizard's drafts, and the completed requests that staff handle.

-- The tenant's known service addresses, synced by the back-office: the
-- wizard matches postcode + house number + addition (normalised: "1234AB",
-- 12, "A"), shows the products and the proposed advance, and asks a start
-- reading per meter register (not lower than the last known one).
CREATE TABLE moves_addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    postcode TEXT NOT NULL,
    house_number INTEGER NOT NULL,
    addition TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL,
    city TEXT NOT NULL,
    -- ["Warmte", "Warm tapwater"]
    products_json TEXT NOT NULL DEFAULT '[]',
    -- [{number, registers: [{code, label, unit, last_reading, last_read_on}]}]
    meters_json TEXT NOT NULL DEFAULT '[]',
    advance_cents INTEGER,
    -- False: known, but not open to a move-in through the portal.
    open BOOLEAN NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX moves_addresses_match ON moves_addresses (tenant_id, postcode, house_number, addition);

-- A wizard in progress. The browser holds a random key (cookie); only its
-- hash is stored. A resume link is a second single-use secret, also hashed.
-- A draft expires (and is deleted) some days after its last change.
CREATE TABLE moves_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL UNIQUE,
    -- The furthest step reached (1-7).
    step INTEGER NOT NULL DEFAULT 1,
    data_json TEXT NOT NULL DEFAULT '{}',
    document_key TEXT,
    document_name TEXT NOT NULL DEFAULT '',
    document_type TEXT NOT NULL DEFAULT '',
    resume_hash TEXT UNIQUE,
    resume_expires_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX moves_drafts_expiry ON moves_drafts (expires_at);

-- A completed move-in: New, Waiting (for the resident or the supplier),
-- Processed (the back-office made the contract; its customer arrives by
-- sync and is linked here), Rejected.
CREATE TABLE moves_move_ins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    address_id INTEGER REFERENCES moves_addresses(id) ON DELETE SET NULL,
    address_label TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'waiting', 'processed', 'rejected')),
    moving_on TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    lang TEXT NOT NULL,
    address_form TEXT NOT NULL,
    -- Everything the wizard asked, as typed and checked.
    data_json TEXT NOT NULL,
    document_key TEXT,
    document_name TEXT NOT NULL DEFAULT '',
    document_type TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    customer_id INTEGER REFERENCES core_customers(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX moves_move_ins_by_status ON moves_move_ins (tenant_id, status, id);
