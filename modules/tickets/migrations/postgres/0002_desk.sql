-- The support desk (staff pages): a ticket's assignee, internal notes that
-- the customer never sees (on messages and, so a download can be checked
-- without a join, on their attachments), and which staff member wrote a
-- support message.
ALTER TABLE tickets_tickets ADD COLUMN assigned_to BIGINT REFERENCES core_staff(id) ON DELETE SET NULL;
ALTER TABLE tickets_messages ADD COLUMN internal BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE tickets_messages ADD COLUMN staff_id BIGINT REFERENCES core_staff(id) ON DELETE SET NULL;
ALTER TABLE tickets_attachments ADD COLUMN internal BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX tickets_by_status ON tickets_tickets (tenant_id, status, updated_at);
