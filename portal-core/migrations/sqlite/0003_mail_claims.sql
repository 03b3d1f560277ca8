-- A worker's claim on an outbox row (so a worker whose lease ran out can
-- neither send nor record a result), and staff test mails (counted for the
-- hourly limit). A new step: applied migrations are never edited.
ALTER TABLE mail_outbox ADD COLUMN claim_token TEXT;
ALTER TABLE mail_outbox ADD COLUMN is_test BOOLEAN NOT NULL DEFAULT 0;
