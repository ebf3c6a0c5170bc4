-- The recovery path reads every payment it may have to finish: those whose acquirer answer is not applied
-- and those accepted asynchronously and not processed yet (RECEIVED). The old index covered only two of the
-- five states the query names, so the planner could not use it; this one matches the query's predicate and
-- its paging order.
DROP INDEX IF EXISTS payments_unresolved;
CREATE INDEX payments_unresolved ON payments (updated_at, id)
    WHERE status IN ('RECEIVED', 'AUTHORIZING', 'PENDING', 'CAPTURING', 'CANCELING');
