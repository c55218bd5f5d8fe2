-- crier schema, version 4: what an inbox message is, what its author took
-- back, and search.

-- What the message is, read by sentiment.Classify when it is stored:
-- 'complaint', 'question' (to the business), 'concern' (something did not
-- happen or is not so: maybe a complaint), 'praise' or 'other'. The items
-- already stored are read once, here, by the same function (crier
-- registers it with SQLite as crier_inbox_class).
ALTER TABLE inbox_items ADD COLUMN class TEXT NOT NULL DEFAULT 'other'
    CHECK (class IN ('complaint', 'question', 'concern', 'praise', 'other'));
UPDATE inbox_items SET class = crier_inbox_class(kind, body);

-- When a sync found the item gone from its network: its author deleted it.
-- It stays in the inbox, marked, out of the needs-attention view, and
-- cannot be answered.
ALTER TABLE inbox_items ADD COLUMN deleted_at INTEGER;
-- When a sync last asked the network whether the item still exists.
ALTER TABLE inbox_items ADD COLUMN checked_at INTEGER;

-- The needs-attention order, now from what the message is: complaints,
-- then questions, then concerns, then praise, then the rest, then what
-- listening found;
-- within each, whoever has waited longest, an author's reach and a
-- private message counting as extra waiting time. Both are derived from
-- the row (VIRTUAL: SQLite cannot add a STORED column), so the order needs
-- no clock; the indexes below hold them.
DROP INDEX inbox_attention;
DROP INDEX inbox_attention_kind;
ALTER TABLE inbox_items DROP COLUMN attention;
ALTER TABLE inbox_items DROP COLUMN attention_at;
ALTER TABLE inbox_items ADD COLUMN attention INTEGER GENERATED ALWAYS AS (
    CASE WHEN kind = 'listening' THEN 5
         WHEN class = 'complaint' THEN 0
         WHEN class = 'question' THEN 1
         WHEN class = 'concern' THEN 2
         WHEN class = 'praise' THEN 3
         ELSE 4 END) VIRTUAL;
ALTER TABLE inbox_items ADD COLUMN attention_at INTEGER GENERATED ALWAYS AS (received_at
    - CASE WHEN author_followers >= 100000 THEN 86400000  -- a day ahead
           WHEN author_followers >= 10000 THEN 43200000   -- 12 hours
           WHEN author_followers >= 1000 THEN 14400000    -- 4 hours
           ELSE 0 END
    - CASE WHEN kind = 'dm' THEN 21600000 ELSE 0 END) VIRTUAL;  -- someone wrote privately: 6 hours
-- The view holds open items their authors have not deleted. An account
-- filter reads one of these and skips the other accounts' rows.
CREATE INDEX inbox_attention ON inbox_items (attention, attention_at, id)
    WHERE state = 'open' AND deleted_at IS NULL;
CREATE INDEX inbox_attention_kind ON inbox_items (kind, attention, attention_at, id)
    WHERE state = 'open' AND deleted_at IS NULL;
-- What a sync asks the network about: an account's open items, the ones
-- never asked about (NULL sorts first) and then the longest unasked.
CREATE INDEX inbox_recheck ON inbox_items (account_id, checked_at)
    WHERE state = 'open' AND deleted_at IS NULL AND kind <> 'listening';

-- Search. inbox_search is an FTS5 index of each item's text and author,
-- with its state, kind, account and labels as tokens of a third column
-- (facets: "sopen kreply a3 l6661…", a label as "l" and its bytes in hex),
-- so a search with the list's filters is answered from the index alone.
-- Its rowid is the item's search_key, received_at * 2^20 plus the item's
-- place among those received in the same millisecond: newest first in the
-- index is newest first in the inbox, and a page of results is read in
-- order without sorting the matches. The index holds no copy of the text
-- (content=''); deletions are by rowid (contentless_delete). Prefixes of
-- two and three letters have their own index, so the first letters typed
-- in a search are as quick as a whole word.
ALTER TABLE inbox_items ADD COLUMN search_key INTEGER;
ALTER TABLE inbox_items ADD COLUMN label_keys TEXT NOT NULL DEFAULT '';
UPDATE inbox_items SET search_key = k.search_key FROM (
    SELECT id, received_at * 1048576 + row_number() OVER (PARTITION BY received_at ORDER BY id) - 1 AS search_key
    FROM inbox_items) k
WHERE k.id = inbox_items.id;
UPDATE inbox_items SET label_keys = crier_label_keys(labels) WHERE labels <> '';
CREATE UNIQUE INDEX inbox_search_key ON inbox_items (search_key);
-- The labels in use, for the label filter, read from this index alone.
CREATE INDEX inbox_labelled ON inbox_items (labels) WHERE labels <> '';

CREATE VIRTUAL TABLE inbox_search USING fts5 (
    text, who, facets,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
INSERT INTO inbox_search (rowid, text, who, facets)
    SELECT search_key, body, author_handle || ' ' || author_name,
           's' || state || ' k' || kind || ' a' || account_id || ' ' || label_keys
    FROM inbox_items;

-- Whoever writes a row, it gets its key and its place in the index; a
-- triage change moves it between facets; a deleted account's items leave.
CREATE TRIGGER inbox_search_add AFTER INSERT ON inbox_items
BEGIN
    UPDATE inbox_items SET search_key = NEW.received_at * 1048576 + (
        SELECT count(*) FROM inbox_items
        WHERE search_key >= NEW.received_at * 1048576 AND search_key < (NEW.received_at + 1) * 1048576)
    WHERE id = NEW.id AND search_key IS NULL;
    INSERT INTO inbox_search (rowid, text, who, facets)
        SELECT search_key, body, author_handle || ' ' || author_name,
               's' || state || ' k' || kind || ' a' || account_id || ' ' || label_keys
        FROM inbox_items WHERE id = NEW.id;
END;

CREATE TRIGGER inbox_search_facets AFTER UPDATE OF state, label_keys ON inbox_items
WHEN OLD.state IS NOT NEW.state OR OLD.label_keys IS NOT NEW.label_keys
BEGIN
    DELETE FROM inbox_search WHERE rowid = OLD.search_key;
    INSERT INTO inbox_search (rowid, text, who, facets)
        VALUES (NEW.search_key, NEW.body, NEW.author_handle || ' ' || NEW.author_name,
                's' || NEW.state || ' k' || NEW.kind || ' a' || NEW.account_id || ' ' || NEW.label_keys);
END;

CREATE TRIGGER inbox_search_drop AFTER DELETE ON inbox_items
BEGIN
    DELETE FROM inbox_search WHERE rowid = OLD.search_key;
END;
