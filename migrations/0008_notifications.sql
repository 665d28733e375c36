-- Each user's notifications: every change to their tasks and every reminder that fired, kept so a browser that was
-- away catches up. Written by the worker, one owner at a time, so a user's ids increase in commit order and
-- "everything after the last id I saw" misses nothing.

CREATE TABLE notifications (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id     uuid        NOT NULL,
    kind         text        NOT NULL,
    task_id      uuid        NOT NULL,
    title        text        NOT NULL,
    task_version integer,
    reminder_id  uuid,
    occurred_at  timestamptz NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    read_at      timestamptz
);

CREATE UNIQUE INDEX ux_notifications_event ON notifications (event_id);
CREATE INDEX ix_notifications_owner ON notifications (owner_id, id);
CREATE INDEX ix_notifications_owner_unread ON notifications (owner_id, id) WHERE read_at IS NULL;
