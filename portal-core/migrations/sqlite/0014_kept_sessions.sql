-- Each tenant's sessions version: a process keeps the sessions it has
-- looked up (auth::session_keep) and, on the next page, reads only this
-- number (one primary-key probe) instead of the session, its account,
-- customer and access version. A kept session counts only while the
-- number is the one read with it, so every write that can change what a
-- session look-up returns changes it, by trigger, whatever wrote it (a page,
-- the API, a sync, the CLI in another process, a hand-written UPDATE):
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
-- - every change of the tenant's access version (roles, children,
--   locations: the kept session carries the account's parts).
-- New rows (a session, an account) change nothing an existing look-up
-- returned, so they do not count. Values are random, as the access
-- version's are (0 is never kept).
ALTER TABLE core_access_versions ADD COLUMN sessions_version INTEGER NOT NULL DEFAULT 0;
UPDATE core_access_versions SET sessions_version = abs(random() >> 1);

CREATE TRIGGER core_access_versions_sessions AFTER UPDATE OF version ON core_access_versions
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_sessions_kept_update AFTER UPDATE OF
    id, token_hash, tenant_id, user_id, stage, pending_totp, expires_at, selected_customer_id
    ON core_sessions
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1)
        WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER core_sessions_kept_seen AFTER UPDATE OF last_seen_at ON core_sessions
WHEN julianday(NEW.last_seen_at) IS NULL OR julianday(OLD.last_seen_at) IS NULL
    OR julianday(NEW.last_seen_at) < julianday(OLD.last_seen_at)
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1) WHERE tenant_id = NEW.tenant_id;
END;

CREATE TRIGGER core_sessions_kept_delete AFTER DELETE ON core_sessions
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_users_kept_update AFTER UPDATE ON core_users
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1)
        WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;

CREATE TRIGGER core_users_kept_delete AFTER DELETE ON core_users
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1) WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER core_customers_kept_update AFTER UPDATE ON core_customers
WHEN OLD.id <> NEW.id OR OLD.tenant_id <> NEW.tenant_id OR OLD.number IS NOT NEW.number
    OR OLD.name IS NOT NEW.name OR OLD.active IS NOT NEW.active
BEGIN
    UPDATE core_access_versions SET sessions_version = abs(random() >> 1)
        WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id);
END;
