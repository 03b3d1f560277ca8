-- The digital pest-control logbook (seed 002), everything per location
-- (core_locations): checkpoints, visits with their observations, the
-- technician's recommendations with their history, messages both ways,
-- documents, planned visits, and each account's chosen location.
CREATE TABLE logbook_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    -- The label and number the box carries on site: HM 1 shows as HM1.
    code TEXT NOT NULL,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    room TEXT NOT NULL,
    -- 'percent': bait taken in %; 'count': individuals counted.
    measure TEXT NOT NULL CHECK (measure IN ('percent', 'count')),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX logbook_checkpoints_by_location ON logbook_checkpoints (location_id, code, number);

CREATE TABLE logbook_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    technician TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'extra', 'follow_up')),
    findings TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    -- Materials and products used: [{name, amount, unit, registration_number}].
    materials_json TEXT NOT NULL DEFAULT '[]',
    -- Of the observations last written for this visit: a sync that sends
    -- the same ones again leaves them alone.
    observations_hash TEXT NOT NULL DEFAULT '',
    -- The back-office's own PDF of the report (else the module renders one).
    pdf_key TEXT UNIQUE,
    pdf_size INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX logbook_visits_by_location ON logbook_visits (location_id, visited_on, id);

CREATE TABLE logbook_observations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    visit_id INTEGER NOT NULL REFERENCES logbook_visits(id) ON DELETE CASCADE,
    checkpoint_id INTEGER NOT NULL REFERENCES logbook_checkpoints(id) ON DELETE CASCADE,
    -- Copied from the visit, for the dashboard's activity per month.
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    visited_on TEXT NOT NULL,
    -- Percent of bait taken (0-100) or individuals counted.
    value INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX logbook_observations_by_visit ON logbook_observations (visit_id, id);
CREATE INDEX logbook_observations_by_location ON logbook_observations (location_id, visited_on);

CREATE TABLE logbook_recommendations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    checkpoint_id INTEGER REFERENCES logbook_checkpoints(id) ON DELETE SET NULL,
    external_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('hygiene', 'construction', 'storage', 'other')),
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done', 'verified')),
    -- The customer's latest response.
    response TEXT NOT NULL DEFAULT '',
    -- A response or status change of the customer that support has not seen yet.
    awaiting_supplier BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX logbook_recommendations_by_location ON logbook_recommendations (location_id, status, id);

-- Every change of a recommendation: who, when, the status after it and the response given.
CREATE TABLE logbook_recommendation_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    recommendation_id INTEGER NOT NULL REFERENCES logbook_recommendations(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    -- 'created', 'status', 'response', 'text' (the technician changed it).
    change TEXT NOT NULL,
    status TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    -- 'customer', 'staff' or 'back_office'.
    actor TEXT NOT NULL,
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX logbook_history_by_recommendation ON logbook_recommendation_history (recommendation_id, id);

CREATE TABLE logbook_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    -- The customer's account that wrote it (NULL for the supplier).
    user_id INTEGER REFERENCES core_users(id) ON DELETE SET NULL,
    from_supplier BOOLEAN NOT NULL,
    -- 'message'; the supplier's 'notification' or 'alarm'.
    kind TEXT NOT NULL CHECK (kind IN ('message', 'notification', 'alarm')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    -- A customer's message: 'open' until the supplier handles it.
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handled')),
    reply_to INTEGER REFERENCES logbook_messages(id) ON DELETE CASCADE,
    -- A supplier's message: when the customer read it.
    read_at TEXT,
    handled_at TEXT,
    handled_by TEXT NOT NULL DEFAULT '',
    external_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX logbook_messages_by_location ON logbook_messages (location_id, id);
CREATE INDEX logbook_messages_by_status ON logbook_messages (tenant_id, from_supplier, status, id);

CREATE TABLE logbook_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    -- NULL: for the whole customer.
    location_id INTEGER REFERENCES core_locations(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('safety_sheet', 'certificate', 'contract', 'other')),
    title TEXT NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    blob_key TEXT NOT NULL UNIQUE,
    valid_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX logbook_documents_by_customer ON logbook_documents (customer_id, location_id);

CREATE TABLE logbook_planned_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'extra', 'follow_up')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX logbook_planned_by_location ON logbook_planned_visits (location_id, planned_on);

-- The location an account chose last (seed 002: picked once, remembered).
CREATE TABLE logbook_choices (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL PRIMARY KEY REFERENCES core_users(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    chosen_at TEXT NOT NULL
);
