-- Each tenant's access version: pages keep an account's roles, visible
-- child customers and location rights in memory (access::parts_cache) as
-- long as the version they were read at is the tenant's current one. Every
-- write to a table those parts are read from changes it, by trigger, so no
-- write path (the API, an import, a staff page, a hand-written UPDATE or
-- TRUNCATE) can forget to. A transaction's id is the new value: unique, so
-- a cached entry can never match a later state, and set once per
-- transaction. The triggers are deferred to the commit: the version row is
-- then the last lock a transaction takes, so two transactions changing
-- access in one tenant take turns at their commits and cannot deadlock on
-- it. Every tenant has a row (a missing one reads as 0, which is never
-- kept). No foreign key: a tenant being deleted cascades into these
-- tables, whose triggers then write here; a row left behind is harmless.
CREATE TABLE core_access_versions (
    tenant_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO core_access_versions (tenant_id, version)
SELECT id, txid_current() FROM core_tenants;

CREATE FUNCTION core_access_bump(t BIGINT) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    INSERT INTO core_access_versions AS v (tenant_id, version)
    VALUES (t, txid_current())
    ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version
    WHERE v.version <> EXCLUDED.version;
$$;

CREATE FUNCTION core_access_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM core_access_bump(OLD.tenant_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM core_access_bump(NEW.tenant_id);
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE fires no row trigger: every tenant's version changes.
CREATE FUNCTION core_access_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM core_access_bump(id) FROM core_tenants;
    RETURN NULL;
END
$$;

-- New tenants start with a row of their own.
CREATE FUNCTION core_access_tenant_added() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM core_access_bump(NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER core_tenants_access AFTER INSERT ON core_tenants
    FOR EACH ROW EXECUTE FUNCTION core_access_tenant_added();

CREATE CONSTRAINT TRIGGER core_user_roles_access
    AFTER INSERT OR UPDATE OR DELETE ON core_user_roles DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE CONSTRAINT TRIGGER core_child_grants_access
    AFTER INSERT OR UPDATE OR DELETE ON core_child_grants DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE CONSTRAINT TRIGGER core_location_grants_access
    AFTER INSERT OR UPDATE OR DELETE ON core_location_grants DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
-- Customers: a child's parent, state and name (the header's switcher).
CREATE CONSTRAINT TRIGGER core_customers_access
    AFTER INSERT OR DELETE ON core_customers DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE CONSTRAINT TRIGGER core_customers_access_update
    AFTER UPDATE ON core_customers DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id
        OR OLD.parent_id IS DISTINCT FROM NEW.parent_id
        OR OLD.active <> NEW.active OR OLD.name <> NEW.name)
    EXECUTE FUNCTION core_access_changed();
-- Locations: which customer a location belongs to.
CREATE CONSTRAINT TRIGGER core_locations_access
    AFTER INSERT OR DELETE ON core_locations DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed();
CREATE CONSTRAINT TRIGGER core_locations_access_update
    AFTER UPDATE ON core_locations DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id
        OR OLD.customer_id <> NEW.customer_id)
    EXECUTE FUNCTION core_access_changed();

CREATE TRIGGER core_user_roles_access_truncate AFTER TRUNCATE ON core_user_roles
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated();
CREATE TRIGGER core_child_grants_access_truncate AFTER TRUNCATE ON core_child_grants
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated();
CREATE TRIGGER core_location_grants_access_truncate AFTER TRUNCATE ON core_location_grants
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated();
CREATE TRIGGER core_customers_access_truncate AFTER TRUNCATE ON core_customers
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated();
CREATE TRIGGER core_locations_access_truncate AFTER TRUNCATE ON core_locations
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated();
