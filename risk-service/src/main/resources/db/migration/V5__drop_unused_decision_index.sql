-- No query reads risk_decisions by merchant and time: the re-scoring and the events consumer read decisions by
-- payment (risk_decisions_payment). The index cost every decision a third WAL record and an index insert, and
-- grew with the history (131 MB at about a million decisions), for nothing.
DROP INDEX IF EXISTS risk_decisions_merchant_time;
