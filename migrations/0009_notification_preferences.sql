-- What each user wants pushed live to their browsers: the kinds of notification, and quiet hours on the wall clock of
-- their profile's time zone (users.time_zone). Every notification is stored in the inbox whatever this says; a user
-- without a row gets every kind live and no quiet hours.

CREATE TABLE notification_preferences (
    owner_id    uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    live_kinds  text[]      NOT NULL,
    -- From quiet_start up to quiet_end; a span that ends earlier than it starts wraps midnight (22:00-07:00).
    quiet_start time,
    quiet_end   time,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT ck_notification_preferences_quiet CHECK ((quiet_start IS NULL) = (quiet_end IS NULL) AND quiet_start <> quiet_end)
);
