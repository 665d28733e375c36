-- The scheduling token a reminder last fired with, recorded with its firing (ADR 0007). The notification inbox keeps a
-- ReminderTriggered only if its token is the reminder's current one or this one: any other is a cancelled event that
-- still went out, which reaches nobody.
ALTER TABLE reminder_state ADD COLUMN fired_token_id uuid;
