-- True when the postings balance: at least two, no zero amounts, and per currency debits (positive)
-- equal credits (negative).
CREATE FUNCTION postings_balanced(accounts text[], currencies text[], amounts bigint[])
    RETURNS boolean
    LANGUAGE sql
    IMMUTABLE
AS $$
    SELECT coalesce(cardinality(amounts), 0) >= 2
       AND cardinality(amounts) = cardinality(currencies)
       AND cardinality(amounts) = cardinality(accounts)
       AND NOT EXISTS (SELECT 1 FROM unnest(amounts) AS a(amount) WHERE amount = 0 OR amount IS NULL)
       AND NOT EXISTS (SELECT 1 FROM unnest(currencies, amounts) AS p(currency, amount)
                       GROUP BY currency HAVING sum(amount) <> 0)
$$;

-- Accounts and their running balances (debit positive). One row per account and currency.
CREATE TABLE accounts (
    code           text PRIMARY KEY,
    kind           text NOT NULL,
    owner          text NOT NULL,
    currency       char(3) NOT NULL,
    balance_minor  bigint NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The journal: append-only, one row per entry with its postings, balanced by construction.
CREATE TABLE journal_entries (
    id                  text NOT NULL,
    created_at          timestamptz NOT NULL,
    merchant_id         text NOT NULL,
    kind                text NOT NULL,
    payment_id          text,
    source_event_id     text NOT NULL,
    description         text NOT NULL,
    posting_accounts    text[] NOT NULL,
    posting_currencies  text[] NOT NULL,
    posting_amounts     bigint[] NOT NULL,
    PRIMARY KEY (id, created_at),
    CONSTRAINT journal_entry_balanced CHECK (postings_balanced(posting_accounts, posting_currencies, posting_amounts))
) PARTITION BY RANGE (created_at);
CREATE INDEX journal_entries_merchant ON journal_entries (merchant_id, created_at);
CREATE INDEX journal_entries_payment ON journal_entries (payment_id);

SELECT ensure_monthly_partitions('journal_entries', 3);

-- Consumer deduplication: an event takes effect once, in the same transaction as its effect.
CREATE TABLE processed_events (
    consumer      text NOT NULL,
    event_id      text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- The runtime role may add entries and read them, never change or remove them.
GRANT SELECT, INSERT ON journal_entries TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON accounts TO ${app_role};
GRANT SELECT, INSERT ON processed_events TO ${app_role};
