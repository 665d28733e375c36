-- Who made the change a notification tells of: the X-TaskFlow-Client of the request (a browser window's id), or null
-- when the system did (reminders, occurrences of a series) or the client sent none. A window's bell leaves out its own
-- changes; the unread index carries the origin, so that count is still read from the index alone.
ALTER TABLE notifications ADD COLUMN origin text;

DROP INDEX ix_notifications_owner_unread;
CREATE INDEX ix_notifications_owner_unread ON notifications (owner_id, id) INCLUDE (origin) WHERE read_at IS NULL;
