-- Each claim of a capture or cancel has its own id, sent to auth-service with every question about it.
-- auth-service keeps it with the attempt it sends, so a request still asking about a claim that was
-- released meanwhile (its attempt failed for certain) is answered from that failed attempt instead of
-- sending a new one that the payment, back to AUTHORIZED, would never learn about. Existing claims keep
-- a null id and the earlier behaviour until they are finished.
ALTER TABLE payments ADD COLUMN operation_claim text;
