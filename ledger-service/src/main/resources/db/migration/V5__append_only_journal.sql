-- Every entry is chained now: the chain columns are required from here on.
ALTER TABLE journal_entries ALTER COLUMN sequence SET NOT NULL,
                            ALTER COLUMN previous_hash SET NOT NULL,
                            ALTER COLUMN entry_hash SET NOT NULL;

-- Append-only beyond the grants: no role, the owner included, changes or removes an entry without first
-- disabling this trigger, which is itself a recorded DDL change. Corrections are reversing entries.
CREATE FUNCTION journal_entries_append_only() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'journal entries are append-only: % refused; post a reversing entry instead', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_entries_append_only();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION journal_entries_append_only();
