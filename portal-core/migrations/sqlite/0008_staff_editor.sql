-- A third staff role, editor (branding, templates, page messages). SQLite
-- cannot change a CHECK constraint, so the column is dropped and added
-- again with the new one, its values kept in a temporary table meanwhile.
CREATE TEMP TABLE staff_role_copy AS SELECT id, role FROM core_staff;
ALTER TABLE core_staff DROP COLUMN role;
ALTER TABLE core_staff ADD COLUMN role TEXT NOT NULL DEFAULT 'support'
    CHECK (role IN ('admin', 'support', 'editor'));
UPDATE core_staff SET role = (SELECT c.role FROM staff_role_copy c WHERE c.id = core_staff.id);
DROP TABLE staff_role_copy;
