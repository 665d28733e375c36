-- Recurring tasks. A series holds the rule, how its occurrences arrive and what each copies; every occurrence is an
-- ordinary task that names its series and the slot it fills. By schedule the slot is the rule's wall time in the
-- series' zone; from completion it is the wall time its predecessor was completed. Either stays the occurrence's
-- identity when its own due date is moved. One task per slot, whatever is redelivered.

CREATE TABLE task_series (
    id               uuid        PRIMARY KEY,
    owner_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rule             text        NOT NULL,
    -- schedule: each occurrence appears lead_time before its due; completion: the next one is due an interval
    -- after the current one is completed.
    mode             text        NOT NULL CHECK (mode IN ('schedule', 'completion')),
    lead_time        interval    NOT NULL CHECK (lead_time >= interval '0'),
    status           text        NOT NULL CHECK (status IN ('active', 'stopped', 'ended')),
    -- The rule's start (DTSTART): wall time in time_zone, midnight for an all-day series.
    start_local      timestamp   NOT NULL,
    all_day          boolean     NOT NULL,
    time_zone        text        NOT NULL,
    -- What the next occurrences copy.
    title            text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description      text        CHECK (char_length(description) <= 4000),
    priority         smallint    NOT NULL CHECK (priority BETWEEN 0 AND 3),
    tags             text[]      NOT NULL,
    reminder_offsets interval[]  NOT NULL,
    -- The latest slot filled or skipped, and how many occurrences exist (COUNT of a from-completion series).
    last_slot        timestamp   NOT NULL,
    created_count    integer     NOT NULL,
    -- The slot a scheduled CreateNextOccurrence will fill, and that message's scheduling token.
    next_slot        timestamp,
    next_token_id    uuid,
    version          integer     NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE INDEX ix_task_series_owner ON task_series (owner_id);

ALTER TABLE tasks
    ADD COLUMN series_id   uuid REFERENCES task_series (id),
    ADD COLUMN series_slot timestamp,
    ADD CONSTRAINT ck_tasks_series_slot CHECK ((series_id IS NULL) = (series_slot IS NULL));

CREATE UNIQUE INDEX ux_tasks_series_slot ON tasks (series_id, series_slot);
