-- Reminders: the reminder saga's instances (one per task and reminder) and the planner's memory of what it planned
-- per task. Both are written by the worker only; the API reads reminder_state to show each reminder's next fire time.

CREATE TABLE reminder_state (
    correlation_id   uuid        PRIMARY KEY,
    current_state    text        NOT NULL,
    task_id          uuid        NOT NULL,
    owner_id         uuid        NOT NULL,
    task_version     integer     NOT NULL,
    title            text        NOT NULL,
    reminder_offset  text        NOT NULL,
    due_local        text        NOT NULL,
    due_all_day      boolean     NOT NULL,
    due_time_zone    text        NOT NULL,
    due_at           timestamptz NOT NULL,
    planned_at       timestamptz NOT NULL,
    fire_at          timestamptz NOT NULL,
    fired_for        timestamptz,
    fired_at         timestamptz,
    due_token_id     uuid,
    expiry_token_id  uuid,
    updated_at       timestamptz NOT NULL
);

CREATE INDEX ix_reminder_state_task ON reminder_state (task_id);

CREATE TABLE reminder_plan (
    task_id       uuid    PRIMARY KEY,
    task_version  integer NOT NULL,
    reminder_ids  uuid[]  NOT NULL
);
