-- Tasks. Every list query is scoped to one owner, so every index leads with owner_id;
-- each sort order has its own (owner_id, key, id) index so that keyset paging is an index range scan.
CREATE TABLE tasks (
    id               uuid        PRIMARY KEY,
    owner_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- ICU root collation: titles sort as people read them (a, B, c), not by byte value.
    title            text        COLLATE "und-x-icu" NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description      text        CHECK (char_length(description) <= 4000),
    priority         smallint    NOT NULL CHECK (priority BETWEEN 0 AND 3),
    tags             text[]      NOT NULL,
    status           text        NOT NULL CHECK (status IN ('open', 'completed')),
    -- The due moment as the user wrote it (local wall time in an IANA zone, or a whole day)
    -- and as an instant, which is what sorting, filtering and "overdue" compare.
    due_local        timestamp,
    due_all_day      boolean,
    due_time_zone    text,
    due_at           timestamptz,
    reminder_offsets interval[]  NOT NULL,
    recurrence       text,
    version          integer     NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    -- Tasks without a due date sort last; a non-null key keeps keyset comparisons simple.
    due_sort         timestamptz NOT NULL GENERATED ALWAYS AS (coalesce(due_at, 'infinity'::timestamptz)) STORED,
    search           tsvector    NOT NULL GENERATED ALWAYS AS (
                         to_tsvector('english'::regconfig, title || ' ' || coalesce(description, ''))) STORED,
    CONSTRAINT ck_tasks_due_complete CHECK (
        (due_at IS NULL AND due_local IS NULL AND due_all_day IS NULL AND due_time_zone IS NULL)
        OR (due_at IS NOT NULL AND due_local IS NOT NULL AND due_all_day IS NOT NULL AND due_time_zone IS NOT NULL))
);

CREATE INDEX ix_tasks_owner_due      ON tasks (owner_id, due_sort, id);
CREATE INDEX ix_tasks_owner_created  ON tasks (owner_id, created_at, id);
CREATE INDEX ix_tasks_owner_priority ON tasks (owner_id, priority, id);
CREATE INDEX ix_tasks_owner_title    ON tasks (owner_id, title, id);
CREATE INDEX ix_tasks_search         ON tasks USING gin (search);
CREATE INDEX ix_tasks_tags           ON tasks USING gin (tags);
