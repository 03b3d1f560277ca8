-- Kept sessions are now checked against their own row and the tenant's
-- *accounts version* (auth::session_keep): the probe reads the session's
-- row (id, account, stage, TOTP secret being enabled, switcher, last
-- seen, expiry) with this number, and a kept session counts only while
-- that row is there and says what was kept and the number is the kept
-- one. The accounts version changes with every write to what a session
-- look-up joins beyond the session itself: any column of an account but
-- its last used code step, or its removal (a TRUNCATE included); a
-- customer's number, name or state; every access version change
-- (core_access_bump sets all three). Not by sessions: one visitor's
-- logout or customer switch, or the purge of expired sessions, no longer
-- sends every other kept session of the tenant through a full look-up (a
-- TRUNCATE of sessions leaves no row to find). Not by the code step a
-- two-factor login writes to the account: on a tenant where everyone logs
-- in with a code, each login would (the step is checked and claimed in
-- the database at login, never from a kept copy's value).
-- A column added to core_users later must be added to this list
-- (auth::sessions::every_account_column_but_the_code_step_counts checks).
-- The sessions version of 0014 and its triggers stay as they are, so a
-- process of the previous release still running beside this one during a
-- rolling update keeps seeing every change on its own probe. As for the
-- other versions: the transaction's id, once per transaction, kind and
-- tenant, the row triggers deferred to the commit (TRUNCATE's is not);
-- 0 is never kept.
ALTER TABLE core_access_versions ADD COLUMN accounts_version BIGINT NOT NULL DEFAULT 0;
UPDATE core_access_versions SET accounts_version = txid_current();

CREATE OR REPLACE FUNCTION core_access_bump(t BIGINT) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    INSERT INTO core_access_versions AS v (tenant_id, version, sessions_version, accounts_version)
    VALUES (t, txid_current(), txid_current(), txid_current())
    ON CONFLICT (tenant_id) DO UPDATE
        SET version = EXCLUDED.version, sessions_version = EXCLUDED.sessions_version,
            accounts_version = EXCLUDED.accounts_version
        WHERE v.version <> EXCLUDED.version OR v.sessions_version <> EXCLUDED.sessions_version
            OR v.accounts_version <> EXCLUDED.accounts_version;
$$;

CREATE FUNCTION core_accounts_bump(t BIGINT) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
    INSERT INTO core_access_versions AS v (tenant_id, version, sessions_version, accounts_version)
    VALUES (t, 0, 0, txid_current())
    ON CONFLICT (tenant_id) DO UPDATE SET accounts_version = EXCLUDED.accounts_version
        WHERE v.accounts_version <> EXCLUDED.accounts_version;
$$;

-- core_access_changed (0014) names the bump function and the mark by its
-- argument.
CREATE CONSTRAINT TRIGGER core_users_accounts
    AFTER DELETE OR UPDATE OF
    id, tenant_id, customer_id, email, email_norm, username, username_norm,
    display_name, lang, is_main, active, confirmed, password_hash, password_changed_at,
    totp_secret, created_at, updated_at, first_name, last_name, gender, phone, external_id
    ON core_users DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_access_changed('accounts');
CREATE CONSTRAINT TRIGGER core_customers_accounts
    AFTER UPDATE ON core_customers DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id
        OR OLD.number IS DISTINCT FROM NEW.number OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION core_access_changed('accounts');
CREATE TRIGGER core_users_accounts_truncate AFTER TRUNCATE ON core_users
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_truncated('accounts');
