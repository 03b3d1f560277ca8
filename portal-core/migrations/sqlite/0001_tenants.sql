-- Tenants (the portal's companies), their portal URLs, enabled modules,
-- module settings, page messages, staff API tokens, and the cache version
-- that tells every process when its in-memory copy is stale.
CREATE TABLE core_tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    default_language TEXT NOT NULL DEFAULT 'nl' CHECK (default_language IN ('nl', 'en')),
    address_form TEXT NOT NULL DEFAULT 'formal' CHECK (address_form IN ('formal', 'informal')),
    theme TEXT NOT NULL DEFAULT 'default',
    parent_id INTEGER REFERENCES core_tenants(id) ON DELETE SET NULL,
    support_email TEXT,
    website TEXT,
    phone TEXT,
    brand_inherit BOOLEAN NOT NULL DEFAULT 0,
    brand_primary TEXT,
    brand_primary_text TEXT,
    brand_secondary TEXT,
    brand_secondary_text TEXT,
    brand_logo TEXT,
    brand_favicon TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE core_tenant_urls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    host TEXT NOT NULL UNIQUE,
    is_primary BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX core_tenant_urls_tenant ON core_tenant_urls (tenant_id);

CREATE TABLE core_tenant_modules (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    module TEXT NOT NULL,
    PRIMARY KEY (tenant_id, module)
);

CREATE TABLE core_tenant_settings (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    module TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (tenant_id, module, key)
);

CREATE TABLE core_page_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    page TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('neutral', 'warning', 'important')),
    body_html TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX core_page_messages_tenant ON core_page_messages (tenant_id);

CREATE TABLE core_api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE core_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE core_cache_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO core_cache_version (id, version) VALUES (1, 1);
