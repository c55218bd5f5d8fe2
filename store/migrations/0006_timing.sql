-- crier schema, version 6: what works and when. Queue slots, recurring
-- and evergreen posts, feeds, A/B tests of posts and watched competitors.

-- An account's weekly posting schedule: wall-clock times in the zone of
-- queue_settings, so 08:00 stays 08:00 across daylight-saving changes.
CREATE TABLE queue_slots (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 Sunday .. 6 Saturday (Go's time.Weekday)
    minute     INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439), -- minutes after local midnight
    PRIMARY KEY (account_id, weekday, minute)
) WITHOUT ROWID;

-- Per account: the zone its slots are read in, and whether its queue is
-- paused (its posts are held until it runs again).
CREATE TABLE queue_settings (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    zone       TEXT    NOT NULL,
    paused_at  INTEGER                                   -- NULL while the queue runs
);

-- The copies that "add to queue" put into slots. A copy leaves the queue
-- with its delivery (taken back to drafts, account removed).
CREATE TABLE queue_entries (
    delivery_id INTEGER PRIMARY KEY REFERENCES deliveries (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    added_at    INTEGER NOT NULL
);
CREATE INDEX queue_entries_account ON queue_entries (account_id);
-- Is this slot taken? Which copies of an account are due in a range?
CREATE INDEX deliveries_account_due ON deliveries (account_id, due_at, state);

-- A post that repeats on an RFC 5545 rule. Its text, accounts, images,
-- labels and campaign (template, JSON) are copied into one post per
-- occurrence, each queued with its own idempotency keys, made a window
-- ahead of time (materialized_until).
CREATE TABLE recurrences (
    id                 INTEGER PRIMARY KEY,
    rule               TEXT    NOT NULL,              -- RRULE, e.g. FREQ=WEEKLY;BYDAY=SA;UNTIL=20270101T000000Z
    zone               TEXT    NOT NULL,              -- IANA zone of its wall-clock times
    starts_at          INTEGER NOT NULL,              -- DTSTART, the first occurrence's instant
    template           TEXT    NOT NULL,              -- JSON: body, targets, media, labels, campaign
    window_days        INTEGER NOT NULL DEFAULT 14 CHECK (window_days > 0),
    materialized_until INTEGER NOT NULL DEFAULT 0,    -- every occurrence before this instant exists
    ended_at           INTEGER,                       -- the series was stopped
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
-- The series to materialise: those still running, by how far they are made.
CREATE INDEX recurrences_active ON recurrences (materialized_until) WHERE ended_at IS NULL;

-- One row per occurrence ever made. post_id becomes NULL when the person
-- deleted that post: the occurrence stays deleted, never made again.
-- written_at is the post's updated_at as the series last wrote it: a post
-- changed since was edited alone, and series edits leave it.
CREATE TABLE recurrence_posts (
    recurrence_id INTEGER NOT NULL REFERENCES recurrences (id) ON DELETE CASCADE,
    occurs_at     INTEGER NOT NULL,
    post_id       INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    written_at    INTEGER NOT NULL,
    PRIMARY KEY (recurrence_id, occurs_at)
) WITHOUT ROWID;
CREATE INDEX recurrence_posts_post ON recurrence_posts (post_id) WHERE post_id IS NOT NULL;

-- The evergreen pool: posts whose text is shared again into free queue
-- slots, never sooner than min_interval after the last time, and never
-- when the same text went (or goes) to that account within that interval.
CREATE TABLE evergreen (
    post_id         INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    min_interval_ms INTEGER NOT NULL CHECK (min_interval_ms > 0),
    last_shared_at  INTEGER,                          -- NULL: never shared again yet
    shares          INTEGER NOT NULL DEFAULT 0,
    paused          INTEGER NOT NULL DEFAULT 0,
    added_at        INTEGER NOT NULL
);
-- Who is next: the longest unshared first (NULL sorts first).
CREATE INDEX evergreen_next ON evergreen (last_shared_at, post_id) WHERE paused = 0;
-- The copies an evergreen post made, so a re-share is never mistaken for
-- the person's own post.
CREATE TABLE evergreen_shares (
    post_id   INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,  -- the new post
    source_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    shared_at INTEGER NOT NULL
);
CREATE INDEX evergreen_shares_source ON evergreen_shares (source_id, shared_at);
-- RSS and Atom feeds named in the config. New entries become drafts (or,
-- with fill_queue, queued posts in free slots).
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    url           TEXT    NOT NULL,
    fill_queue    INTEGER NOT NULL DEFAULT 0,
    accounts      TEXT    NOT NULL DEFAULT '',        -- account ids the drafts go to, space-separated
    campaign_id   INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    title         TEXT    NOT NULL DEFAULT '',        -- as the feed names itself
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    fetched_at    INTEGER,                            -- last attempt
    ok_at         INTEGER,                            -- last success
    last_error    TEXT    NOT NULL DEFAULT '',        -- of the last attempt; '' when it worked
    failures      INTEGER NOT NULL DEFAULT 0,         -- attempts failed in a row
    created_at    INTEGER NOT NULL
);
-- Every entry ever seen, by the feed's own id for it (Atom id, RSS guid,
-- else its link), so an entry becomes a draft once.
CREATE TABLE feed_entries (
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_id     TEXT    NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    link         TEXT    NOT NULL DEFAULT '',
    image        TEXT    NOT NULL DEFAULT '',
    published_at INTEGER,
    seen_at      INTEGER NOT NULL,
    post_id      INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    PRIMARY KEY (feed_id, entry_id)
) WITHOUT ROWID;
CREATE INDEX feed_entries_seen ON feed_entries (feed_id, seen_at);

-- A/B tests: variants of one message, posted in matched slots on
-- alternating days or weeks (the plan), each tagging its links with its
-- own utm_content, compared on engagement per follower and on clicks and
-- conversions.
CREATE TABLE ab_tests (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    pattern    TEXT    NOT NULL CHECK (pattern IN ('days', 'weeks')),
    state      TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'running', 'ended')),
    zone       TEXT    NOT NULL,
    source     TEXT    NOT NULL DEFAULT 'posts' CHECK (source IN ('posts', 'ads')),  -- ads: imported per ad set
    campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    ended_at   INTEGER
);
CREATE TABLE ab_variants (
    id          INTEGER PRIMARY KEY,
    test_id     INTEGER NOT NULL REFERENCES ab_tests (id) ON DELETE CASCADE,
    label       TEXT    NOT NULL,                      -- A, B, ...
    body        TEXT    NOT NULL,
    media       TEXT    NOT NULL DEFAULT '[]',         -- JSON list of store.Media
    utm_content TEXT    NOT NULL,
    -- Counts from outside the networks' counters: clicks and conversions
    -- (issue 13's link tracking), or an ads export's impressions and spend.
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks      INTEGER NOT NULL DEFAULT 0,
    conversions INTEGER NOT NULL DEFAULT 0,
    spend_cents INTEGER NOT NULL DEFAULT 0,
    results_at  INTEGER,
    UNIQUE (test_id, label),
    UNIQUE (utm_content)
);
-- The plan: which variant goes out in which slot, on which accounts. A
-- matched pair of slots (same weekday and time, a day or week apart) is a
-- round.
CREATE TABLE ab_plan (
    test_id    INTEGER NOT NULL REFERENCES ab_tests (id) ON DELETE CASCADE,
    round      INTEGER NOT NULL,
    variant_id INTEGER NOT NULL REFERENCES ab_variants (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    post_id    INTEGER REFERENCES posts (id) ON DELETE SET NULL,  -- once the test runs
    PRIMARY KEY (test_id, at)
) WITHOUT ROWID;
CREATE INDEX ab_plan_variant ON ab_plan (variant_id, at);
CREATE INDEX ab_plan_post ON ab_plan (post_id) WHERE post_id IS NOT NULL;
CREATE TABLE ab_test_accounts (
    test_id    INTEGER NOT NULL REFERENCES ab_tests (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (test_id, account_id)
) WITHOUT ROWID;

-- Competitors: public accounts on Bluesky and Mastodon the business keeps
-- an eye on, with their follower counts over time and their posts.
CREATE TABLE competitors (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL,
    handle       TEXT    NOT NULL,
    display_name TEXT    NOT NULL DEFAULT '',
    synced_at    INTEGER,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (platform, handle)
);
CREATE TABLE competitor_snapshots (
    competitor_id INTEGER NOT NULL REFERENCES competitors (id) ON DELETE CASCADE,
    taken_at      INTEGER NOT NULL,
    followers     INTEGER NOT NULL,
    following     INTEGER NOT NULL DEFAULT 0,
    posts         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (competitor_id, taken_at)
) WITHOUT ROWID;
CREATE TABLE competitor_posts (
    competitor_id INTEGER NOT NULL REFERENCES competitors (id) ON DELETE CASCADE,
    remote_id     TEXT    NOT NULL,
    url           TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL DEFAULT '',
    posted_at     INTEGER NOT NULL,
    likes         INTEGER NOT NULL DEFAULT 0,
    reposts       INTEGER NOT NULL DEFAULT 0,
    replies       INTEGER NOT NULL DEFAULT 0,
    quotes        INTEGER NOT NULL DEFAULT 0,
    engagement    INTEGER GENERATED ALWAYS AS (likes + reposts + replies + quotes) STORED,
    metrics_at    INTEGER NOT NULL,
    PRIMARY KEY (competitor_id, remote_id)
) WITHOUT ROWID;
-- A competitor's posts in a window, with their engagement, from the index alone.
CREATE INDEX competitor_posts_time ON competitor_posts (competitor_id, posted_at, engagement);

-- Top fans: who wrote to the business most in a window, read from an
-- index, then each one's latest name.
CREATE INDEX inbox_fans ON inbox_items (received_at, author_handle, kind) WHERE heard = 0;
CREATE INDEX inbox_author ON inbox_items (author_handle, received_at) WHERE heard = 0;
