-- Kept sessions are now checked against their own row and the tenant's
-- *accounts version* (auth::session_keep): the probe reads the session's
-- row (id, account, stage, TOTP secret being enabled, switcher, last
-- seen, expiry) with this number, and a kept session counts only while
-- that row is there and says what was kept and the number is the kept
-- one. The accounts version changes with every write to what a session
-- look-up joins beyond the session itself: any column of an account but
-- its last used code step, or its removal; a customer's number, name or
-- state; every access version change (the kept session carries the
-- account's parts). Not by sessions: one visitor's logout or customer
-- switch, or the purge of expired sessions, no longer sends every other
-- kept session of the tenant through a full look-up. Not by the code
-- step a two-factor login writes to the account: on a tenant where
-- everyone logs in with a code, each login would (the step is checked and
-- claimed in the database at login, never from a kept copy's value).
-- A column added to core_users later must be added to this list
-- (auth::sessions::every_account_column_but_the_code_step_counts checks).
-- The sessions version of 0014 and its triggers stay as they are, so a
-- process of the previous release still running beside this one during a
-- rolling update keeps seeing every change on its own probe.
-- Values are random, as the other versions' are (0 is never kept).
ALTER TABLE core_access_versions ADD COLUMN accounts_version INTEGER NOT NULL DEFAULT 0;
UPDATE core_access_versions SET accounts_version = abs(random() >> 1);

CREATE TRIGGER core_access_versions_accounts AFTER UPDATE OF version ON core_access_versions
BEGIN
    UPDATE core_access_versions SET accounts_version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_users_accounts_update AFTER UPDATE OF
    id, tenant_id, customer_id, email, email_norm, username, username_norm,
    display_name, lang, is_main, active, confirmed, password_hash, password_changed_at,
    totp_secret, created_at, updated_at, first_name, last_name, gender, phone, external_id
    ON core_users
BEGIN
    UPDATE core_access_versions SET accounts_version = abs(random() >> 1)
        WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER core_users_accounts_delete AFTER DELETE ON core_users
BEGIN
    UPDATE core_access_versions SET accounts_version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_customers_accounts_update AFTER UPDATE ON core_customers
WHEN OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id OR OLD.number IS NOT NEW.number
    OR OLD.name IS NOT NEW.name OR OLD.active IS NOT NEW.active
BEGIN
    UPDATE core_access_versions SET accounts_version = abs(random() >> 1)
        WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;
