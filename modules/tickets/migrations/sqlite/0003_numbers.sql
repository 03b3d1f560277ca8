-- Ticket numbers per tenant (issue 17): what customers and support see is
-- `number`, counting from 1 in each tenant; `id` stays the row's key (and
-- the URLs'). Existing tickets are numbered in id order. New numbers come
-- from tickets_counters, bumped with INSERT ... ON CONFLICT ... RETURNING
-- inside the ticket's own transaction, so two tickets never share one and
-- a number is never handed out twice (not even after a ticket is deleted).
ALTER TABLE tickets_tickets ADD COLUMN number INTEGER;
UPDATE tickets_tickets SET number = numbered.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY id) AS n FROM tickets_tickets) AS numbered
WHERE numbered.id = tickets_tickets.id;
CREATE UNIQUE INDEX tickets_number ON tickets_tickets (tenant_id, number);
-- SQLite cannot add a NOT NULL column without a default: these say it.
CREATE TRIGGER tickets_number_required_insert BEFORE INSERT ON tickets_tickets
WHEN NEW.number IS NULL
BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: tickets_tickets.number'); END;
CREATE TRIGGER tickets_number_required_update BEFORE UPDATE OF number ON tickets_tickets
WHEN NEW.number IS NULL
BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: tickets_tickets.number'); END;

CREATE TABLE tickets_counters (
    tenant_id INTEGER PRIMARY KEY REFERENCES core_tenants(id) ON DELETE CASCADE,
    last_number INTEGER NOT NULL
);
INSERT INTO tickets_counters (tenant_id, last_number)
SELECT tenant_id, MAX(number) FROM tickets_tickets GROUP BY tenant_id;
