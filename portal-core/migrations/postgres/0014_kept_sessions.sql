-- Each tenant's sessions version: a process keeps the sessions it has
-- looked up (auth::session_keep) and, on the next page, reads only this
-- number (one primary-key probe) instead of the session, its account,
-- customer and access version. A kept session counts only while the
-- number is the one read with it, so every write that can change what a
-- session look-up returns changes it, by trigger, whatever wrote it (a page,
-- the API, a sync, another process, a hand-written UPDATE or TRUNCATE):
-- - a session ended or changed (stage, TOTP being enabled, the customer
--   chosen in the switcher, its expiry); refreshing last_seen_at does
--   not count (once a minute per session; a kept session older than a
--   minute is looked up in full, which refreshes it, and one kept with
--   an earlier last_seen_at only ends sooner by the idle timeout, then
--   looked up in full), moving it back does;
-- - any change to an account (any column: all are in the session's
--   account) or its removal;
-- - a customer's number, name or state (shown in the header, checked at
--   every look-up);
-- - every change of the tenant's access version (core_access_bump sets
--   both: the kept session carries the account's parts).
-- New rows (a session, an account) change nothing an existing look-up
-- returned, so they do not count. As for the access version: the value
-- is the transaction's id, the triggers are deferred to the commit and
-- change it once per transaction and tenant (a transaction-local mark of
-- their own), and 0 is never kept.
ALTER TABLE core_access_versions ADD COLUMN sessions_version BIGINT NOT NULL DEFAULT 0;
UPDATE core_access_versions SET sessions_version = txid_current();

CREATE OR REPLACE FUNCTION core_access_bump(t BIGINT) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    INSERT INTO core_access_versions AS v (tenant_id, version, sessions_version)
    VALUES (t, txid_current(), txid_current())
    ON CONFLICT (tenant_id) DO UPDATE
        SET version = EXCLUDED.version, sessions_version = EXCLUDED.sessions_version
        WHERE v.version <> EXCLUDED.version OR v.sessions_version <> EXCLUDED.sessions_version;
$$;

CREATE FUNCTION core_sessions_bump(t BIGINT) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    INSERT INTO core_access_versions AS v (tenant_id, version, sessions_version)
    VALUES (t, 0, txid_current())
    ON CONFLICT (tenant_id) DO UPDATE SET sessions_version = EXCLUDED.sessions_version
        WHERE v.sessions_version <> EXCLUDED.sessions_version;
$$;

-- The triggers of 0012/0013 and these share one function: its argument
-- names the version (`access` when none: 0012's triggers pass none), which
-- names the bump function and the transaction-local mark. Otherwise as
-- 0013 made it.
CREATE OR REPLACE FUNCTION core_access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    t BIGINT;
    kind TEXT := coalesce(TG_ARGV[0], 'access');
    mark TEXT;
    tx TEXT := pg_catalog.txid_current()::text;
BEGIN
    FOREACH t IN ARRAY CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.tenant_id]
        WHEN 'DELETE' THEN ARRAY[OLD.tenant_id]
        ELSE ARRAY[OLD.tenant_id, NEW.tenant_id] END
    LOOP
        mark := pg_catalog.concat('portal_', kind, '.v',
            pg_catalog.md5(pg_catalog.concat(TG_TABLE_SCHEMA, '/', t)));
        IF pg_catalog.current_setting(mark, true) IS DISTINCT FROM tx THEN
            EXECUTE pg_catalog.format('SELECT %I.%I($1)', TG_TABLE_SCHEMA,
                pg_catalog.concat('core_', kind, '_bump')) USING t;
            PERFORM pg_catalog.set_config(mark, tx, true);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- TRUNCATE fires no row trigger: every tenant's version changes (the
-- argument as above).
CREATE OR REPLACE FUNCTION core_access_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    EXECUTE pg_catalog.format('SELECT %I(id) FROM core_tenants',
        pg_catalog.concat('core_', coalesce(TG_ARGV[0], 'access'), '_bump'));
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER core_sessions_kept
    AFTER DELETE OR UPDATE OF
        id, token_hash, tenant_id, user_id, stage, pending_totp, expires_at, selected_customer_id
    ON core_sessions DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed('sessions');
CREATE CONSTRAINT TRIGGER core_sessions_kept_seen
    AFTER UPDATE OF last_seen_at ON core_sessions DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.last_seen_at < OLD.last_seen_at)
    EXECUTE FUNCTION core_access_changed('sessions');
CREATE CONSTRAINT TRIGGER core_users_kept
    AFTER UPDATE OR DELETE ON core_users DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed('sessions');
CREATE CONSTRAINT TRIGGER core_customers_kept
    AFTER UPDATE ON core_customers DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id
        OR OLD.number IS DISTINCT FROM NEW.number OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION core_access_changed('sessions');

CREATE TRIGGER core_sessions_kept_truncate AFTER TRUNCATE ON core_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated('sessions');
CREATE TRIGGER core_users_kept_truncate AFTER TRUNCATE ON core_users
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated('sessions');
