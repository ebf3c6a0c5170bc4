-- An authorization may be tried at a second acquirer when the first certainly did nothing (it failed for
-- certain, or was not called: breaker open, bulkhead full). Each try is its own attempt with its own
-- reference; an operation stays unique per subject and attempt, and at most one attempt can ever be open.
ALTER TABLE acquirer_operations ADD COLUMN attempt integer NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 10);
ALTER TABLE acquirer_operations DROP CONSTRAINT acquirer_operations_once_per_subject;
ALTER TABLE acquirer_operations ADD CONSTRAINT acquirer_operations_once_per_attempt UNIQUE (operation, subject_id, attempt);
