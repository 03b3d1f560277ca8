-- The support desk (staff pages): a ticket's assignee, internal notes that
-- the customer never sees (on messages and, so a download can be checked
-- without a join, on their attachments), and which staff member wrote a
-- support message.
ALTER TABLE tickets_tickets ADD COLUMN assigned_to INTEGER REFERENCES core_staff(id) ON DELETE SET NULL;
ALTER TABLE tickets_messages ADD COLUMN internal BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE tickets_messages ADD COLUMN staff_id INTEGER REFERENCES core_staff(id) ON DELETE SET NULL;
ALTER TABLE tickets_attachments ADD COLUMN internal BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX tickets_by_status ON tickets_tickets (tenant_id, status, updated_at);
