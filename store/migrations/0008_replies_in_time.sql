-- crier schema, version 8: how fast replies are answered, read from an index.

-- The "replies answered within a time" goal counts, per day, the items
-- heard of and how soon each was replied to. With replied_at in the index
-- the count never reads the items themselves. Partial (heard = 0, as that
-- query writes it), so the inbox's own queries keep their indexes. (IF NOT
-- EXISTS: a test that takes a database back to an older version drops only
-- that version's tables.)
CREATE INDEX IF NOT EXISTS inbox_replied_in_time ON inbox_items (received_at, replied_at) WHERE heard = 0;
