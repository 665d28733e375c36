-- The audit log: one row per task event, never changed once written.
-- Partitioned by month of occurrence so old months can be archived or dropped whole.
CREATE TABLE audit_log (
    event_id     uuid        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    owner_id     uuid        NOT NULL,
    task_id      uuid        NOT NULL,
    task_version integer     NOT NULL,
    event_type   text        NOT NULL CHECK (event_type IN ('created', 'updated', 'completed', 'reopened', 'deleted')),
    payload      jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    -- The partition key must be part of the key; an event's occurred_at never changes, so event_id alone decides.
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE INDEX ix_audit_log_owner ON audit_log (owner_id, occurred_at, event_id);
CREATE INDEX ix_audit_log_task  ON audit_log (task_id, task_version, occurred_at);

-- Append-only, enforced by the database itself whoever connects.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Creates the month partition holding the given instant (UTC months), if missing. Safe to call
-- concurrently from several workers; each partition also refuses TRUNCATE, which is not inherited.
CREATE FUNCTION audit_log_ensure_partition(instant timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz := date_trunc('month', instant AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    partition   text := format('audit_log_%s', to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM'));
BEGIN
    IF to_regclass(partition) IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('audit_log_partitions'));
    IF to_regclass(partition) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                       partition, month_start, month_start + interval '1 month');
        EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()', partition);
    END IF;
END
$$;

-- Creates this month's partition and the next ones; the worker calls it at start and daily.
CREATE FUNCTION audit_log_ensure_partitions(months_ahead integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 0..months_ahead LOOP
        PERFORM audit_log_ensure_partition(now() + make_interval(months => i));
    END LOOP;
END
$$;

SELECT audit_log_ensure_partitions(3);
