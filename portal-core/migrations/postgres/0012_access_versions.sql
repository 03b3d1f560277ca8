-- Each tenant's access version: pages keep an account's roles, visible
-- child customers and location rights in memory (access::parts_cache) as
-- long as the version they were read at is the tenant's current one. Every
-- write to a table those parts are read from changes it, by trigger, so no
-- write path (the API, an import, a staff page, a hand-written UPDATE) can
-- forget to. A transaction's id is the new value: unique, so a cached
-- entry can never match a later state, and set once per transaction.
-- No foreign key: a tenant being deleted cascades into these tables, whose
-- triggers then write here; a row left behind is harmless.
CREATE TABLE core_access_versions (
    tenant_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE FUNCTION core_access_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    t BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
BEGIN
    INSERT INTO core_access_versions AS v (tenant_id, version)
    VALUES (t, txid_current())
    ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version
    WHERE v.version <> EXCLUDED.version;
    RETURN NULL;
END
$$;

CREATE TRIGGER core_user_roles_access AFTER INSERT OR UPDATE OR DELETE ON core_user_roles
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE TRIGGER core_child_grants_access AFTER INSERT OR UPDATE OR DELETE ON core_child_grants
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE TRIGGER core_location_grants_access AFTER INSERT OR UPDATE OR DELETE ON core_location_grants
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
-- Customers: a child's parent, state and name (the header's switcher).
CREATE TRIGGER core_customers_access AFTER INSERT OR DELETE ON core_customers
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE TRIGGER core_customers_access_update AFTER UPDATE ON core_customers
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.parent_id IS DISTINCT FROM NEW.parent_id
        OR OLD.active <> NEW.active OR OLD.name <> NEW.name)
    EXECUTE FUNCTION core_access_changed();
-- Locations: which customer a location belongs to.
CREATE TRIGGER core_locations_access AFTER INSERT OR DELETE ON core_locations
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE TRIGGER core_locations_access_update AFTER UPDATE ON core_locations
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.customer_id <> NEW.customer_id)
    EXECUTE FUNCTION core_access_changed();
