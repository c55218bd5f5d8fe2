-- crier schema, version 3: on time, and marked as crier's.
-- first_attempt_at is when a delivery was first tried. A network whose
-- record carries its own time (Bluesky's createdAt) is given this one, on
-- the first attempt and every retry alike, so a retried post is the same
-- record and a late one is not back-dated to its due time. Deliveries tried
-- before this column existed were written with their due time: they keep it.
-- sent_at now holds when the network accepted the post, not its due time.
ALTER TABLE deliveries ADD COLUMN first_attempt_at INTEGER;
UPDATE deliveries SET first_attempt_at = due_at WHERE attempts > 0;

-- SQLite's own mark for the program a file belongs to ("CRIE"): crier
-- refuses a non-empty database that carries another mark, or none.
PRAGMA application_id = 1129466181;
