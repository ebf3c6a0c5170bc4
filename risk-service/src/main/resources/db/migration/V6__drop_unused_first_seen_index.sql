-- No query finds a card's first sighting by its fingerprint alone: the features consumer upserts by merchant and
-- fingerprint (the primary key), and the start-up load joins on 'card:' || fingerprint, which this index cannot
-- serve. It cost every first sighting an index insert and grew with every card seen.
DROP INDEX IF EXISTS risk_card_first_seen_fingerprint;
