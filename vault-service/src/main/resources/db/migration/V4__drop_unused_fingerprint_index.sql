-- No query finds card tokens by merchant and fingerprint: a token is read by its own value (the primary key).
-- The index cost every tokenization an index insert and its WAL record, and grew with every card stored.
-- card_tokens_data_key stays: it is the foreign key's index, for finding a data key's tokens.
DROP INDEX IF EXISTS card_tokens_merchant_fingerprint;
