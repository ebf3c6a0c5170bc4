-- The claims an attempt was answered "failed, not called" for before it was sent again for a later claim.
-- An attempt that never reached its acquirer is sent again under its own reference when the caller makes a
-- new claim (an outage then adds no attempts; before, every capture retried through an acquirer's outage
-- added one, until the eleventh broke the attempt bound and the payment could never be captured). A claim
-- found here was told "failed" and is answered so again, never joined to the later claim's attempt.
ALTER TABLE acquirer_operations ADD COLUMN earlier_claims text[] NOT NULL DEFAULT '{}';
