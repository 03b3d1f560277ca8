-- The access version changes once per transaction and tenant, not once per
-- changed row: a bulk sync writes a row in core_customers and one in
-- core_locations per customer, and each row's deferred trigger ran an
-- upsert on the version row at the commit (about 25 microseconds a row:
-- a 100,000-customer insert spent 4-6 s at its commit, measured). The
-- first trigger of a transaction for a tenant changes the version and
-- leaves a transaction-local mark (a setting that ends with the
-- transaction, or with a savepoint rolled back to, as the change itself
-- does); the others see the mark and return. Every name outside the
-- table's own schema is written with its schema: the function runs with
-- the caller's search_path, and no longer sets its own (a per-call cost).
CREATE OR REPLACE FUNCTION core_access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    t BIGINT;
    mark TEXT;
BEGIN
    FOREACH t IN ARRAY CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.tenant_id]
        WHEN 'DELETE' THEN ARRAY[OLD.tenant_id]
        ELSE ARRAY[OLD.tenant_id, NEW.tenant_id] END
    LOOP
        mark := pg_catalog.concat('portal_access.changed_', t);
        IF pg_catalog.current_setting(mark, true) IS DISTINCT FROM 'y' THEN
            EXECUTE pg_catalog.format('SELECT %I.core_access_bump($1)', TG_TABLE_SCHEMA) USING t;
            PERFORM pg_catalog.set_config(mark, 'y', true);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
