-- crier schema, version 1.
-- All instants are INTEGER milliseconds since the Unix epoch (UTC).
-- Where a person chose a wall-clock time, the IANA zone they chose it in is kept
-- beside the instant (posts.scheduled_zone).

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL,           -- mastodon, bluesky, sandbox
    handle       TEXT    NOT NULL,
    server       TEXT    NOT NULL DEFAULT '',
    display_name TEXT    NOT NULL DEFAULT '',
    needs_reauth INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (platform, handle, server)
);

CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    starts_on    TEXT    NOT NULL DEFAULT '',  -- YYYY-MM-DD, a calendar date
    ends_on      TEXT    NOT NULL DEFAULT '',
    budget_cents INTEGER NOT NULL DEFAULT 0,
    currency     TEXT    NOT NULL DEFAULT 'USD',
    goal         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);

-- A post is what the user writes once; deliveries are its copies per account.
-- state is a roll-up of the deliveries, kept by the store.
CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    body           TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL DEFAULT 'draft'
                   CHECK (state IN ('draft', 'queued', 'sent', 'failed', 'missed')),
    scheduled_at   INTEGER,                   -- instant; NULL for a draft with no time
    scheduled_zone TEXT    NOT NULL DEFAULT '',
    campaign_id    INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    thread_parent  INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX posts_state_updated ON posts (state, updated_at);
CREATE INDEX posts_scheduled ON posts (scheduled_at) WHERE scheduled_at IS NOT NULL;
CREATE INDEX posts_campaign ON posts (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX posts_thread_parent ON posts (thread_parent) WHERE thread_parent IS NOT NULL;

-- The accounts a post goes to, with an optional text just for that account.
CREATE TABLE post_targets (
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    body_override TEXT,
    PRIMARY KEY (post_id, account_id)
) WITHOUT ROWID;
CREATE INDEX post_targets_account ON post_targets (account_id);

CREATE TABLE post_media (
    id       INTEGER PRIMARY KEY,
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path     TEXT    NOT NULL,
    mime     TEXT    NOT NULL DEFAULT '',
    alt_text TEXT    NOT NULL DEFAULT '',
    UNIQUE (post_id, position)
);

CREATE TABLE post_labels (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    label   TEXT    NOT NULL,
    PRIMARY KEY (post_id, label)
) WITHOUT ROWID;
CREATE INDEX post_labels_label ON post_labels (label);

-- One row per post and target account: the unit the scheduler sends.
-- The latest metrics are kept on the row (and their history in delivery_metrics)
-- so the KPI pane never has to find the newest snapshot among millions.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state           TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'missed', 'dropped')),
    due_at          INTEGER NOT NULL,
    next_attempt_at INTEGER,                  -- set after a retryable failure
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    idempotency_key TEXT    NOT NULL UNIQUE,
    remote_id       TEXT    NOT NULL DEFAULT '',
    remote_cid      TEXT    NOT NULL DEFAULT '',  -- Bluesky's content hash; replies need it
    remote_url      TEXT    NOT NULL DEFAULT '',
    sent_at         INTEGER,
    likes           INTEGER NOT NULL DEFAULT 0,
    reposts         INTEGER NOT NULL DEFAULT 0,
    replies         INTEGER NOT NULL DEFAULT 0,
    quotes          INTEGER NOT NULL DEFAULT 0,
    engagement      INTEGER GENERATED ALWAYS AS (likes + reposts + replies + quotes) STORED,
    metrics_at      INTEGER,
    UNIQUE (post_id, account_id)
);
-- The scheduler's questions: what came due while crier was closed (by due_at),
-- what is sendable next (a retry waits for next_attempt_at), and what was in
-- flight when it stopped?
CREATE INDEX deliveries_pending ON deliveries (state, due_at) WHERE state IN ('queued', 'unknown');
CREATE INDEX deliveries_next ON deliveries (coalesce(next_attempt_at, due_at), id) WHERE state IN ('queued', 'unknown');
CREATE INDEX deliveries_sending ON deliveries (id) WHERE state = 'sending';
-- After a rate limit, the rest of that account's queue waits until the retry time.
CREATE INDEX deliveries_account_next ON deliveries (account_id, coalesce(next_attempt_at, due_at))
    WHERE state IN ('queued', 'unknown');
-- The KPI pane: what did an account publish in a window, and how did it do?
-- engagement is in the index so counting, summing and ranking a month of
-- posts never reads the rows.
CREATE INDEX deliveries_account_sent ON deliveries (account_id, sent_at, engagement) WHERE state = 'sent';
CREATE INDEX deliveries_sent ON deliveries (sent_at) WHERE state = 'sent';
CREATE INDEX deliveries_remote ON deliveries (account_id, remote_id) WHERE remote_id <> '';

CREATE TABLE delivery_metrics (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    taken_at    INTEGER NOT NULL,
    likes       INTEGER NOT NULL,
    reposts     INTEGER NOT NULL,
    replies     INTEGER NOT NULL,
    quotes      INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, taken_at)
) WITHOUT ROWID;

CREATE TABLE follower_snapshots (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    taken_at   INTEGER NOT NULL,
    followers  INTEGER NOT NULL,
    PRIMARY KEY (account_id, taken_at)
) WITHOUT ROWID;

-- Everything people said to or about the business.
CREATE TABLE inbox_items (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    platform         TEXT    NOT NULL,
    remote_id        TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('mention', 'reply', 'quote', 'dm')),
    author_handle    TEXT    NOT NULL,
    author_name      TEXT    NOT NULL DEFAULT '',
    author_followers INTEGER,
    body             TEXT    NOT NULL,
    url              TEXT    NOT NULL DEFAULT '',
    thread_root      TEXT    NOT NULL DEFAULT '',  -- remote id of the thread's first post
    in_reply_to      TEXT    NOT NULL DEFAULT '',  -- remote id of the post it answers
    received_at      INTEGER NOT NULL,             -- when it was written, per the network
    state            TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'snoozed')),
    snoozed_until    INTEGER,
    is_read          INTEGER NOT NULL DEFAULT 0,
    sentiment        REAL,                          -- -1 .. 1 (VADER compound), NULL until scored
    question         INTEGER NOT NULL DEFAULT 0,    -- the text asks something (sentiment.IsQuestion)
    -- The needs-attention order of open items: complaints (VADER's negative
    -- cut-off) first, then questions, then the rest; within each, whoever has
    -- waited longest, an author's reach counting as extra waiting time. Both
    -- are fixed when the row is written, so the order needs no clock.
    attention        INTEGER GENERATED ALWAYS AS (
                         CASE WHEN sentiment <= -0.05 THEN 0 WHEN question THEN 1 ELSE 2 END) STORED,
    attention_at     INTEGER GENERATED ALWAYS AS (received_at - CASE
                         WHEN author_followers >= 100000 THEN 86400000  -- a day ahead
                         WHEN author_followers >= 10000 THEN 43200000   -- 12 hours
                         WHEN author_followers >= 1000 THEN 14400000    -- 4 hours
                         ELSE 0 END) STORED,
    UNIQUE (account_id, remote_id)
);
CREATE INDEX inbox_all ON inbox_items (received_at, id);
CREATE INDEX inbox_state ON inbox_items (state, received_at, id);
CREATE INDEX inbox_state_kind ON inbox_items (state, kind, received_at, id);
CREATE INDEX inbox_kind ON inbox_items (kind, received_at, id);
CREATE INDEX inbox_account_state ON inbox_items (account_id, state, received_at, id);
CREATE INDEX inbox_account ON inbox_items (account_id, received_at, id);
CREATE INDEX inbox_account_kind ON inbox_items (account_id, kind, received_at, id);
CREATE INDEX inbox_account_state_kind ON inbox_items (account_id, state, kind, received_at, id);
CREATE INDEX inbox_thread ON inbox_items (account_id, thread_root) WHERE thread_root <> '';
CREATE INDEX inbox_snoozed ON inbox_items (snoozed_until) WHERE state = 'snoozed';
-- The needs-attention view: open items only, in attention order, with and
-- without the kind filter. An account filter reads one of these and skips
-- the other accounts' rows: only open items are in them.
CREATE INDEX inbox_attention ON inbox_items (attention, attention_at, id) WHERE state = 'open';
CREATE INDEX inbox_attention_kind ON inbox_items (kind, attention, attention_at, id) WHERE state = 'open';

-- Where each account's incremental pulls left off (notifications, DMs, ...).
CREATE TABLE sync_cursors (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stream     TEXT    NOT NULL,
    cursor     TEXT    NOT NULL DEFAULT '',
    synced_at  INTEGER,
    PRIMARY KEY (account_id, stream)
) WITHOUT ROWID;

-- Who may do a job only one crier process may do at a time ("sender": publish
-- and sync). A holder renews expires_at while it lives; once it has passed,
-- another process may take the lease over.
CREATE TABLE leases (
    name         TEXT    PRIMARY KEY,
    holder       TEXT    NOT NULL,  -- a random id per running process
    host         TEXT    NOT NULL DEFAULT '',
    pid          INTEGER NOT NULL DEFAULT 0,
    acquired_at  INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- What the offline sandbox network was sent. Kept apart from deliveries so a
-- test can check the receiving side on its own.
CREATE TABLE sandbox_posts (
    id              INTEGER PRIMARY KEY,
    account         TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    body            TEXT    NOT NULL,
    reply_to        TEXT    NOT NULL DEFAULT '',
    media_count     INTEGER NOT NULL DEFAULT 0,
    received_at     INTEGER NOT NULL
);

-- Small key/value facts about this database (is it a demo, which seed, ...).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
