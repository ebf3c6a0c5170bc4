-- The start-up load reads the first sightings of the cards seen in the last day, which it knows by fingerprint
-- alone (their buckets' keys are 'card:<fingerprint>'). Keyed by merchant first, the table had to be read whole
-- for that, and it grows with every card ever seen. Keyed by fingerprint first, the same key serves the features
-- consumer's upsert by merchant and fingerprint and the load's look-up by fingerprint, with no second index.
ALTER TABLE risk_card_first_seen
    DROP CONSTRAINT risk_card_first_seen_pkey,
    ADD CONSTRAINT risk_card_first_seen_pkey PRIMARY KEY (fingerprint, merchant_id);
