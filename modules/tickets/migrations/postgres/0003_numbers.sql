-- Ticket numbers per tenant (issue 17): what customers and support see is
-- `number`, counting from 1 in each tenant; `id` stays the row's key (and
-- the URLs'). Existing tickets are numbered in id order. New numbers come
-- from tickets_counters, bumped with INSERT ... ON CONFLICT ... RETURNING
-- inside the ticket's own transaction: the counter's row lock makes two
-- tickets of one tenant take turns, so they never share a number, and a
-- number is never handed out twice (not even after a ticket is deleted).
ALTER TABLE tickets_tickets ADD COLUMN number BIGINT;
UPDATE tickets_tickets SET number = numbered.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY id) AS n FROM tickets_tickets) AS numbered
WHERE numbered.id = tickets_tickets.id;
ALTER TABLE tickets_tickets ALTER COLUMN number SET NOT NULL;
CREATE UNIQUE INDEX tickets_number ON tickets_tickets (tenant_id, number);

CREATE TABLE tickets_counters (
    tenant_id BIGINT PRIMARY KEY REFERENCES core_tenants(id) ON DELETE CASCADE,
    last_number BIGINT NOT NULL
);
INSERT INTO tickets_counters (tenant_id, last_number)
SELECT tenant_id, MAX(number) FROM tickets_tickets GROUP BY tenant_id;
