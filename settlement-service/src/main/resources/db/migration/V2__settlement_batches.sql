-- Settlement items now come from the ledger's committed capture and refund entries (ledger_entries), one row
-- per entry, instead of from payment_events. The rows recorded from payment_events were never batched, and
-- the ledger delivers the same money again as entries with ids of their own: kept, they would settle twice.
DELETE FROM settlement_items;
ALTER TABLE settlement_items RENAME COLUMN source_event_id TO entry_id;
ALTER TABLE settlement_items RENAME COLUMN kind TO operation;
ALTER TABLE settlement_items RENAME COLUMN occurred_at TO booked_at;
ALTER TABLE settlement_items
    ADD COLUMN fee_minor bigint NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    ADD COLUMN authorization_reference text;
-- Deduplication is the items' own primary key (the entry id) now.
DROP TABLE processed_events;

-- One batch per acquirer and currency at each cut-off. It moves through its steps in order, each step
-- committed with what it produced: created -> submitted -> reported -> reconciled -> posted -> done.
CREATE TABLE settlement_batches (
    id                      text PRIMARY KEY,
    acquirer                text NOT NULL,
    currency                char(3) NOT NULL,
    cutoff_at               timestamptz NOT NULL,
    settlement_date         date NOT NULL,
    step                    text NOT NULL
        CHECK (step IN ('created', 'submitted', 'reported', 'reconciled', 'posted', 'done')),
    item_count              integer NOT NULL CHECK (item_count >= 0),
    -- Nightjar's signed total of the items: captures minus refunds
    items_amount_minor      bigint NOT NULL,
    report_line_count       integer,
    reported_amount_minor   bigint,
    acquirer_fee_minor      bigint,
    matched_count           integer,
    missing_at_acquirer_count integer,
    missing_in_nightjar_count integer,
    amount_mismatch_count   integer,
    fee_mismatch_count      integer,
    -- failed attempts at the next step since the last step that succeeded, and why the last one failed
    attempts                integer NOT NULL DEFAULT 0,
    last_error              text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    submitted_at            timestamptz,
    reported_at             timestamptz,
    reconciled_at           timestamptz,
    posted_at               timestamptz,
    done_at                 timestamptz
);
CREATE INDEX settlement_batches_unfinished ON settlement_batches (id) WHERE step <> 'done';

ALTER TABLE settlement_items
    ADD CONSTRAINT settlement_items_batch FOREIGN KEY (batch_id) REFERENCES settlement_batches (id);
CREATE INDEX settlement_items_in_batch ON settlement_items (batch_id, entry_id) WHERE batch_id IS NOT NULL;

-- The acquirer's settlement report of a batch, as received: one row per line.
CREATE TABLE settlement_report_lines (
    batch_id           text NOT NULL REFERENCES settlement_batches (id),
    line_no            integer NOT NULL,
    reference          text NOT NULL,
    network_reference  text,
    merchant_id        text,
    operation          text,
    amount_minor       bigint NOT NULL,
    fee_minor          bigint NOT NULL,
    PRIMARY KEY (batch_id, line_no)
);

-- The batch's items against the report's lines: one row per item or line, with what a person should do.
CREATE TABLE settlement_reconciliation (
    batch_id               text NOT NULL REFERENCES settlement_batches (id),
    line_no                integer NOT NULL,
    outcome                text NOT NULL CHECK (outcome IN
        ('matched', 'missing_at_acquirer', 'missing_in_nightjar', 'amount_mismatch', 'fee_mismatch')),
    reference              text NOT NULL,
    payment_id             text,
    merchant_id            text NOT NULL,
    operation              text,
    network_reference      text,
    -- signed amounts (refunds negative): the ledger's, and the acquirer's
    expected_amount_minor  bigint,
    reported_amount_minor  bigint,
    expected_fee_minor     bigint,
    reported_fee_minor     bigint,
    merchant_fee_minor     bigint,
    action                 text,
    PRIMARY KEY (batch_id, line_no),
    CHECK ((outcome = 'matched') = (action IS NULL))
);

-- The settlement events a batch posted (through the outbox): at most one merchant_settled per merchant and
-- one payment.settled per payment per batch, whatever restarts happen.
CREATE TABLE settlement_batch_events (
    event_id     text PRIMARY KEY,
    batch_id     text NOT NULL REFERENCES settlement_batches (id),
    event_type   text NOT NULL,
    merchant_id  text NOT NULL,
    payment_id   text
);
CREATE UNIQUE INDEX settlement_batch_events_merchant ON settlement_batch_events (batch_id, merchant_id)
    WHERE event_type = 'settlement.merchant_settled';
CREATE UNIQUE INDEX settlement_batch_events_payment ON settlement_batch_events (batch_id, payment_id)
    WHERE event_type = 'payment.settled';

GRANT SELECT, INSERT, UPDATE ON settlement_batches TO ${app_role};
GRANT SELECT, INSERT ON settlement_report_lines TO ${app_role};
GRANT SELECT, INSERT ON settlement_reconciliation TO ${app_role};
GRANT SELECT, INSERT ON settlement_batch_events TO ${app_role};
