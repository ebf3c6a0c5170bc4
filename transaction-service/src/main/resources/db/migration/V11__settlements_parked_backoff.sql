-- When a parked settlement is next decided again. One waiting for a capture is due at every retry run, since the
-- capture usually follows within seconds. The others (the payment unknown here, ended without a capture, captured
-- for another amount) wait for something a person or a late event must bring, so each try that leaves them
-- parked doubles their wait, up to parked-retry-max-wait: a backlog of them no longer takes the retry runs, and
-- the run finds what is due by this index instead of reading the whole table.
ALTER TABLE settlements_parked ADD COLUMN retry_at timestamptz NOT NULL DEFAULT now();
DROP INDEX settlements_parked_due;
CREATE INDEX settlements_parked_retry ON settlements_parked (retry_at, event_id);
