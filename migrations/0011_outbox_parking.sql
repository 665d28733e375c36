-- Outbox states that cannot be sent (docs/decisions/0006-own-outbox-and-inbox.md, docs/operations.md "Parked outbox
-- messages"). A send refused while the broker is healthy counts one attempt against its state (`delivery_attempts`,
-- with the refusal in `last_error`); at the delivery service's attempt limit the state is `parked`: no pass claims it
-- again, and the later states of its partition key no longer wait for it. Clearing `parked` and the count replays it.
ALTER TABLE outbox_state
    ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error        text,
    ADD COLUMN parked            timestamptz;
