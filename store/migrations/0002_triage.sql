-- crier schema, version 2: inbox triage.
-- Replies are posts tied to the inbox item they answer; inbox items gain what
-- replying needs (Bluesky content hashes), the account's reactions, labels,
-- the time of our first answer, and a new kind for what social listening
-- finds. SQLite cannot change a CHECK constraint in place, so inbox_items is
-- rebuilt (nothing references it yet).

CREATE TABLE inbox_items_v2 (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    platform         TEXT    NOT NULL,
    remote_id        TEXT    NOT NULL,
    remote_cid       TEXT    NOT NULL DEFAULT '',  -- Bluesky's content hash; a reply needs it
    kind             TEXT    NOT NULL CHECK (kind IN ('mention', 'reply', 'quote', 'dm', 'listening')),
    term             TEXT    NOT NULL DEFAULT '',  -- listening: the keyword or hashtag that found it
    author_handle    TEXT    NOT NULL,
    author_name      TEXT    NOT NULL DEFAULT '',
    author_followers INTEGER,
    body             TEXT    NOT NULL,
    url              TEXT    NOT NULL DEFAULT '',
    thread_root      TEXT    NOT NULL DEFAULT '',  -- remote id of the thread's first post; a DM's conversation
    root_cid         TEXT    NOT NULL DEFAULT '',  -- Bluesky's content hash of thread_root
    in_reply_to      TEXT    NOT NULL DEFAULT '',  -- remote id of the post it answers
    received_at      INTEGER NOT NULL,             -- when it was written, per the network
    state            TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'snoozed')),
    snoozed_until    INTEGER,
    is_read          INTEGER NOT NULL DEFAULT 0,
    sentiment        REAL,                          -- -1 .. 1 (VADER compound), NULL until scored
    question         INTEGER NOT NULL DEFAULT 0,    -- the text asks something (sentiment.IsQuestion)
    liked            INTEGER NOT NULL DEFAULT 0,    -- the account liked (favourited) it
    reposted         INTEGER NOT NULL DEFAULT 0,    -- the account reposted (boosted) it
    labels           TEXT    NOT NULL DEFAULT '',   -- the user's labels, sorted, space-separated
    replied_at       INTEGER,                       -- when our first reply to it went out
    -- What listening found is said about the business, not to it: the inbox
    -- lists it apart (its own filter), so every view that is not about one
    -- kind reads heard = 0, the second key of its index. A plain column
    -- kept by the trigger below: SQLite reads a generated one from the
    -- table even when an index holds it, and the counts must come from
    -- indexes alone.
    heard            INTEGER NOT NULL DEFAULT 0,
    -- The needs-attention order of open items: complaints (VADER's negative
    -- cut-off) first, then questions, then the rest, then what listening
    -- found (said about the business, not to it); within each, whoever has
    -- waited longest, an author's reach counting as extra waiting time. Both
    -- are fixed when the row is written, so the order needs no clock.
    attention        INTEGER GENERATED ALWAYS AS (
                         CASE WHEN kind = 'listening' THEN 3
                              WHEN sentiment <= -0.05 THEN 0 WHEN question THEN 1 ELSE 2 END) STORED,
    attention_at     INTEGER GENERATED ALWAYS AS (received_at - CASE
                         WHEN author_followers >= 100000 THEN 86400000  -- a day ahead
                         WHEN author_followers >= 10000 THEN 43200000   -- 12 hours
                         WHEN author_followers >= 1000 THEN 14400000    -- 4 hours
                         ELSE 0 END) STORED,
    UNIQUE (account_id, remote_id)
);

INSERT INTO inbox_items_v2 (id, account_id, platform, remote_id, kind, author_handle, author_name,
    author_followers, body, url, thread_root, in_reply_to, received_at, state, snoozed_until, is_read,
    sentiment, question)
SELECT id, account_id, platform, remote_id, kind, author_handle, author_name,
    author_followers, body, url, thread_root, in_reply_to, received_at, state, snoozed_until, is_read,
    sentiment, question
FROM inbox_items;

DROP TABLE inbox_items;
ALTER TABLE inbox_items_v2 RENAME TO inbox_items;

-- heard follows kind, whoever writes the row (a kind never changes).
CREATE TRIGGER inbox_heard AFTER INSERT ON inbox_items
WHEN NEW.heard <> (NEW.kind = 'listening')
BEGIN
    UPDATE inbox_items SET heard = (NEW.kind = 'listening') WHERE id = NEW.id;
END;

CREATE INDEX inbox_all ON inbox_items (heard, received_at, id);
CREATE INDEX inbox_state ON inbox_items (state, heard, received_at, id);
CREATE INDEX inbox_state_kind ON inbox_items (state, kind, received_at, id);
CREATE INDEX inbox_kind ON inbox_items (kind, received_at, id);
CREATE INDEX inbox_account_state ON inbox_items (account_id, state, heard, received_at, id);
CREATE INDEX inbox_account ON inbox_items (account_id, heard, received_at, id);
CREATE INDEX inbox_account_kind ON inbox_items (account_id, kind, received_at, id);
CREATE INDEX inbox_account_state_kind ON inbox_items (account_id, state, kind, received_at, id);
CREATE INDEX inbox_thread ON inbox_items (account_id, thread_root) WHERE thread_root <> '';
CREATE INDEX inbox_snoozed ON inbox_items (snoozed_until) WHERE state = 'snoozed';
CREATE INDEX inbox_attention ON inbox_items (attention, attention_at, id) WHERE state = 'open';
CREATE INDEX inbox_attention_kind ON inbox_items (kind, attention, attention_at, id) WHERE state = 'open';
-- Inbox KPIs: what was answered in a window, and how fast.
CREATE INDEX inbox_replied ON inbox_items (replied_at, received_at) WHERE replied_at IS NOT NULL;
-- Listening KPIs: volume and sentiment per term over time, read from the index alone.
CREATE INDEX inbox_listening ON inbox_items (term, received_at, sentiment) WHERE kind = 'listening';

-- A reply is a post with one target, the account the item came to; the
-- scheduler sends it like any post (exactly once), answering the item.
ALTER TABLE posts ADD COLUMN reply_to_item INTEGER REFERENCES inbox_items (id) ON DELETE CASCADE;
CREATE INDEX posts_reply_to_item ON posts (reply_to_item) WHERE reply_to_item IS NOT NULL;
-- A reply's delivery is marked as one, so the published-post KPIs can leave
-- replies out as they count everything else, from an index alone.
ALTER TABLE deliveries ADD COLUMN reply INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deliveries_account_published ON deliveries (account_id, sent_at, engagement)
    WHERE state = 'sent' AND reply = 0;

-- Saved replies: templates with placeholders, picked while replying.
CREATE TABLE saved_replies (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE COLLATE NOCASE,  -- "Thanks" and "thanks" would be one reply to the eye
    body         TEXT    NOT NULL,
    uses         INTEGER NOT NULL DEFAULT 0,
    last_used_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
-- The picker's order: the most used first, then by name.
CREATE INDEX saved_replies_order ON saved_replies (uses DESC, name);
