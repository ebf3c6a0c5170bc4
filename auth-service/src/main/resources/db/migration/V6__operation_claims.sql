-- The caller's claim an attempt was sent for (a capture's or cancel's claim on the payment at the
-- transaction service; the refund for refunds). Asked again about the same claim, auth-service answers from
-- its attempt and never sends a new one after a failure: the caller was told "failed", may have released
-- the payment, and would never learn of a capture or refund that a new attempt made. Null for authorizations
-- and for attempts recorded before this column.
ALTER TABLE acquirer_operations ADD COLUMN claim text;
