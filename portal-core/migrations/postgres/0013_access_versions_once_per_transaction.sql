-- The access version changes once per transaction and tenant, not once per
-- changed row: a bulk sync writes a row in core_customers and one in
-- core_locations per customer, and each row's deferred trigger ran an
-- upsert on the version row at the commit (about 25 microseconds a row:
-- a 100,000-customer insert spent 4-6 s at its commit, measured). The
-- first trigger of a transaction for a tenant changes the version and
-- leaves a transaction-local mark: a setting that ends with the
-- transaction, or with a savepoint rolled back to, as the change itself
-- does. The mark's name comes from the table's schema and the tenant (an
-- md5, a valid name for any id, and two portal schemas written in one
-- transaction keep apart); its value is the transaction's id, so a value
-- set by hand for a whole session (SET, ALTER ROLE ... SET) never counts.
-- The function runs with the caller's search_path and no longer sets its
-- own (a per-call cost): catalog calls name pg_catalog, and the bump names
-- the table's schema.
CREATE OR REPLACE FUNCTION core_access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    t BIGINT;
    mark TEXT;
    tx TEXT := pg_catalog.txid_current()::text;
BEGIN
    FOREACH t IN ARRAY CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.tenant_id]
        WHEN 'DELETE' THEN ARRAY[OLD.tenant_id]
        ELSE ARRAY[OLD.tenant_id, NEW.tenant_id] END
    LOOP
        mark := pg_catalog.concat('portal_access.v',
            pg_catalog.md5(pg_catalog.concat(TG_TABLE_SCHEMA, '/', t)));
        IF pg_catalog.current_setting(mark, true) IS DISTINCT FROM tx THEN
            EXECUTE pg_catalog.format('SELECT %I.core_access_bump($1)', TG_TABLE_SCHEMA) USING t;
            PERFORM pg_catalog.set_config(mark, tx, true);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
