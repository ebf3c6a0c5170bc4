-- The chart of accounts: every account belongs to one kind. Debit-normal kinds are assets and expenses,
-- credit-normal kinds liabilities and revenue. Memo kinds track commitments that are not money yet
-- (authorization holds); they balance among themselves and never mix with the real accounts.
CREATE TABLE account_kinds (
    kind         text PRIMARY KEY,
    normal_side  text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
    memo         boolean NOT NULL DEFAULT false,
    description  text NOT NULL
);
INSERT INTO account_kinds (kind, normal_side, memo, description) VALUES
    ('merchant_payable',     'credit', false, 'What Nightjar owes a merchant for captured payments, net of fees'),
    ('acquirer_receivable',  'debit',  false, 'What an acquirer owes Nightjar for captures it has not settled yet'),
    ('fee_revenue',          'credit', false, 'Nightjar''s fees charged to merchants'),
    ('acquirer_fees',        'debit',  false, 'Fees acquirers charged Nightjar on settlement'),
    ('cash',                 'debit',  false, 'Money in Nightjar''s settlement bank account'),
    ('suspense',             'debit',  false, 'Differences between an acquirer''s settlement and the ledger, until a person resolves them'),
    ('chargeback_receivable','debit',  false, 'Chargebacks to recover from merchants (placeholder: chargebacks are not booked yet)'),
    ('chargeback_reserve',   'credit', false, 'Merchant reserves held against chargebacks (placeholder: chargebacks are not booked yet)'),
    ('authorization_holds',  'debit',  true,  'Memo: card authorizations held and not yet captured or released'),
    ('authorization_hold_offset', 'credit', true, 'Memo: the other side of authorization holds');

ALTER TABLE accounts ADD CONSTRAINT accounts_kind_fk FOREIGN KEY (kind) REFERENCES account_kinds (kind);
ALTER TABLE accounts ADD CONSTRAINT accounts_currency_code CHECK (currency ~ '^[A-Z]{3}$');

-- What an entry is about (for settlement and statements) and its place in the shard's hash chain: each
-- entry's hash covers its content and the previous entry's hash, so changing or removing any committed
-- entry breaks every hash after it.
ALTER TABLE journal_entries
    ADD COLUMN acquirer                text,
    ADD COLUMN authorization_reference text,
    ADD COLUMN currency                text,
    ADD COLUMN amount_minor            bigint,
    ADD COLUMN fee_minor               bigint,
    ADD COLUMN sequence                bigint,
    ADD COLUMN previous_hash           bytea,
    ADD COLUMN entry_hash              bytea;
CREATE INDEX journal_entries_source ON journal_entries (source_event_id);
CREATE INDEX journal_entries_sequence ON journal_entries (sequence);

-- The head of this shard's chain: one row, locked by each appending transaction, so entries are chained
-- in commit order with no gaps.
CREATE TABLE ledger_chain (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_sequence  bigint NOT NULL,
    last_hash      bytea NOT NULL
);

-- Authorization holds outstanding per payment, the memo accounts' subledger.
CREATE TABLE authorization_holds (
    payment_id         text PRIMARY KEY,
    merchant_id        text NOT NULL,
    currency           text NOT NULL,
    outstanding_minor  bigint NOT NULL CHECK (outstanding_minor >= 0),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON account_kinds TO ${app_role};
GRANT SELECT, UPDATE ON ledger_chain TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON authorization_holds TO ${app_role};

-- Where each processed event was read from: a record seen again at the same position is a replay after a
-- crash (its entries are published again with its offset); the same event at another position is a
-- duplicate publication (nothing to do).
ALTER TABLE processed_events
    ADD COLUMN topic           text,
    ADD COLUMN kafka_partition integer,
    ADD COLUMN kafka_offset    bigint;
