-- The outbox_state commit trigger only stamps `created` now; it no longer NOTIFYs on every commit.
-- PostgreSQL serialises the commits of all transactions that NOTIFY (one lock on the notification queue, held through
-- the WAL flush), which cut the raw insert rate of a task plus its outbox rows to about a third at 8 clients. A process
-- that delivers its own outbox is woken in-process at commit and needs no NOTIFY; one without a delivery service sends
-- a NOTIFY on a connection of its own just after the COMMIT (TaskFlow.Messaging's OutboxCommitAnnouncer), so the other
-- instances still hear of its commits, and of nothing rolled back. See docs/decisions/0006-own-outbox-and-inbox.md.
CREATE OR REPLACE FUNCTION outbox_state_committed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outbox_state SET created = clock_timestamp() WHERE outbox_id = NEW.outbox_id;
    RETURN NULL;
END
$$;
