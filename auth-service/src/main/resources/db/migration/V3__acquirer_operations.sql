-- Every money operation at an acquirer, not only authorizations: captures, voids and refunds too. An
-- operation is unique per subject (the payment, or the refund for refunds), so a repeated request
-- re-sends the same reference and never acts twice. Captures, voids and refunds name the authorization
-- they act on.
ALTER TABLE authorization_attempts RENAME TO acquirer_operations;
ALTER INDEX authorization_attempts_open RENAME TO acquirer_operations_open;
ALTER TABLE acquirer_operations ADD COLUMN subject_id text;
UPDATE acquirer_operations SET subject_id = payment_id;
ALTER TABLE acquirer_operations ALTER COLUMN subject_id SET NOT NULL;
ALTER TABLE acquirer_operations ADD COLUMN authorization_reference text;
ALTER TABLE acquirer_operations DROP CONSTRAINT authorization_attempts_payment_id_operation_key;
ALTER TABLE acquirer_operations ADD CONSTRAINT acquirer_operations_once_per_subject UNIQUE (operation, subject_id);
ALTER TABLE acquirer_operations DROP CONSTRAINT authorization_attempts_operation_check;
ALTER TABLE acquirer_operations ADD CONSTRAINT acquirer_operations_operation_check
    CHECK (operation IN ('authorize', 'sale', 'capture', 'void', 'refund'));
ALTER TABLE acquirer_operations DROP CONSTRAINT authorization_attempts_amount_minor_check;
ALTER TABLE acquirer_operations ADD CONSTRAINT acquirer_operations_amount_check
    CHECK (amount_minor > 0 OR (operation = 'void' AND amount_minor = 0));
CREATE INDEX acquirer_operations_payment ON acquirer_operations (payment_id);
