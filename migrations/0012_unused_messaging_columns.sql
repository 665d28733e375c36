-- Two columns copied from MassTransit.EntityFrameworkCore's entities that nothing read: outbox_message.enqueue_time
-- (a delayed send's due time, which the delivery service never honoured; the bus outbox now refuses a delayed send, as
-- TaskFlow schedules through its message scheduler) and inbox_state.expiration_time (never set; the inbox cleanup goes
-- by `delivered`). Moving to MassTransit's package later would add them back empty.
DROP INDEX ix_outbox_message_enqueue_time;
ALTER TABLE outbox_message DROP COLUMN enqueue_time;
ALTER TABLE inbox_state DROP COLUMN expiration_time;
