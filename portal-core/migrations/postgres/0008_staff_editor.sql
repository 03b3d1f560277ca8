-- A third staff role, editor (branding, templates, page messages).
ALTER TABLE core_staff DROP CONSTRAINT core_staff_role_check;
ALTER TABLE core_staff ADD CONSTRAINT core_staff_role_check
    CHECK (role IN ('admin', 'support', 'editor'));
