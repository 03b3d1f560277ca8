-- Each tenant's access version: pages keep an account's roles, visible
-- child customers and location rights in memory (access::parts_cache) as
-- long as the version they were read at is the tenant's current one. Every
-- write to a table those parts are read from changes it, by trigger, so no
-- write path (the API, an import, a staff page, a hand-written UPDATE) can
-- forget to (SQLite has no TRUNCATE; a DELETE without WHERE fires the
-- triggers too). The new value is random (62 bits): a cached entry cannot
-- match a later state, also when SQLite reuses a deleted tenant's id.
-- Every tenant has a row, made with the tenant; one that is missing (a
-- hand-deleted row) reads as 0, which is never kept, so a trigger only
-- updates. The tenant's row is made with a guarded plain INSERT: an
-- INSERT OR ... of the statement that fired the trigger would otherwise
-- impose its conflict policy on the trigger's.
-- No foreign key: a tenant being deleted cascades into these tables, whose
-- triggers then write here; a row left behind is harmless.
CREATE TABLE core_access_versions (
    tenant_id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO core_access_versions (tenant_id, version)
SELECT id, abs(random() >> 1) FROM core_tenants;

CREATE TRIGGER core_tenants_access_insert AFTER INSERT ON core_tenants
BEGIN
    INSERT INTO core_access_versions (tenant_id, version) SELECT NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM core_access_versions WHERE tenant_id = NEW.id);
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = NEW.id;
END;

CREATE TRIGGER core_user_roles_access_insert AFTER INSERT ON core_user_roles
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_user_roles_access_update AFTER UPDATE ON core_user_roles
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER core_user_roles_access_delete AFTER DELETE ON core_user_roles
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_child_grants_access_insert AFTER INSERT ON core_child_grants
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_child_grants_access_update AFTER UPDATE ON core_child_grants
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER core_child_grants_access_delete AFTER DELETE ON core_child_grants
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_location_grants_access_insert AFTER INSERT ON core_location_grants
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_location_grants_access_update AFTER UPDATE ON core_location_grants
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER core_location_grants_access_delete AFTER DELETE ON core_location_grants
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

-- Customers: a child's parent, state and name (the header's switcher).

CREATE TRIGGER core_customers_access_insert AFTER INSERT ON core_customers
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_customers_access_delete AFTER DELETE ON core_customers
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_customers_access_update AFTER UPDATE ON core_customers
WHEN OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id OR OLD.parent_id IS NOT NEW.parent_id
    OR OLD.active <> NEW.active OR OLD.name <> NEW.name
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

-- Locations: which customer a location belongs to.

CREATE TRIGGER core_locations_access_insert AFTER INSERT ON core_locations
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_locations_access_delete AFTER DELETE ON core_locations
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_locations_access_update AFTER UPDATE ON core_locations
WHEN OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id OR OLD.customer_id <> NEW.customer_id
BEGIN
    UPDATE core_access_versions SET version = abs(random() >> 1) WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;
