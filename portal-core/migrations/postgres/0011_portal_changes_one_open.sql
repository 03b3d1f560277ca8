-- At most one open portal change per customer or account and field group,
-- also when two saves race (the code updates the open one; this makes the
-- second insert fail instead of leaving two). NULL account ids (the
-- organisation's own data) count as one.
CREATE UNIQUE INDEX core_portal_changes_one_open
    ON core_portal_changes (tenant_id, customer_id, COALESCE(account_id, 0), field_group)
    WHERE confirmed_at IS NULL;
