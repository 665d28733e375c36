-- The planner sends its commands after its plan has committed (ADR 0007). A plan whose commands may not have gone out
-- (a worker killed in between) is sent again when its event comes back, so the plan keeps the reminders it discarded.
ALTER TABLE reminder_plan ADD COLUMN discarded_ids uuid[] NOT NULL DEFAULT '{}';
