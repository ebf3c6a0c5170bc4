-- The retry run takes the due settlements waiting for a capture first, then the other due ones, each by
-- retry_at: one index for each, so that either look stops at the batch's size however many are parked and due.
DROP INDEX settlements_parked_retry;
CREATE INDEX settlements_parked_due_by_reason ON settlements_parked (reason, retry_at, event_id);
CREATE INDEX settlements_parked_due ON settlements_parked (retry_at, event_id);
