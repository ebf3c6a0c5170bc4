-- A capture or cancel is claimed on the payment (status CAPTURING or CANCELING, one versioned write)
-- before the acquirer is asked: the amount being captured, and the request that claimed it (a keyed hash
-- of its Idempotency-Key), so the same request may ask again while any other is refused with a 409.
ALTER TABLE payments ADD COLUMN operation_amount_minor bigint CHECK (operation_amount_minor >= 0);
ALTER TABLE payments ADD COLUMN operation_key text;
ALTER TABLE payments ADD CONSTRAINT payments_operation_in_flight
    CHECK ((operation_amount_minor IS NOT NULL) = (status IN ('CAPTURING', 'CANCELING')));

-- The recovery path's work list: everything still waiting for an acquirer's answer to be applied.
DROP INDEX payments_unresolved;
CREATE INDEX payments_unresolved ON payments (updated_at)
    WHERE status IN ('AUTHORIZING', 'PENDING', 'CAPTURING', 'CANCELING');
