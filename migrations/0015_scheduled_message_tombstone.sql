-- Scheduler: a cancelled token stays cancelled (issue 19). The scheduler queue has no inbox, so a ScheduleMessage
-- redelivered or retried after its CancelScheduledMessage would store the message again; the cancel leaves a tombstone
-- under the token, and a schedule whose token has one is not stored. Tombstones older than the scheduler's
-- TombstoneRetention are pruned by its overdue sweeper (index on cancelled).
CREATE TABLE scheduled_message_tombstone (
    token_id  uuid         PRIMARY KEY,
    cancelled timestamptz  NOT NULL
);

CREATE INDEX ix_scheduled_message_tombstone_cancelled ON scheduled_message_tombstone (cancelled);
