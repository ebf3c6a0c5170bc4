-- One request at a time sends an operation to its acquirer. Two requests sending the same reference at once
-- could disagree about what happened: one told "not called" (its bulkhead was full) would fail over to the
-- next acquirer while the other's call, with the same reference, was charging the card at the first. The
-- request that records or reopens an attempt, or claims one that is sent or unknown, holds it until it has
-- written the answer, or until the lease runs out (a sender that died). No default: adding them is instant.
ALTER TABLE acquirer_operations ADD COLUMN sending_by text, ADD COLUMN sending_until timestamptz;
