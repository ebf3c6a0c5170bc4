-- Shared SQL (common-lib): adopted by a service through a SharedSqlMigration at its own next version.
-- Monthly partitions for time-ranged tables, made ahead of time. SECURITY DEFINER so the runtime role,
-- which owns nothing, can keep partitions coming without the right to create tables itself.
CREATE FUNCTION ensure_monthly_partitions(parent text, months_ahead integer)
    RETURNS integer
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = public
AS $$
DECLARE
    month_start date;
    partition_name text;
    created integer := 0;
BEGIN
    IF months_ahead < 0 OR months_ahead > 24 THEN
        RAISE EXCEPTION 'months_ahead out of range: %', months_ahead;
    END IF;
    FOR i IN -1..months_ahead LOOP
        month_start := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
        partition_name := parent || '_' || to_char(month_start, 'YYYY_MM');
        IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           partition_name, parent,
                           to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                           to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION ensure_monthly_partitions(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_monthly_partitions(text, integer) TO ${app_role};

