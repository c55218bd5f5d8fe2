-- crier schema, version 5: marketing. Campaigns get what links and people
-- need (a slug for utm_campaign, who the campaign is for), goals, the links
-- crier tagged, and what social brought in: clicks, sessions, conversions,
-- revenue, spend and impressions by day, campaign, source and content,
-- from imports, the Plausible API and what the user typed in.
--
-- Days are calendar days counted from 1970-01-01 (an INTEGER; 2026-11-27 is
-- 20784), as the source reported them. Money is INTEGER minor units of the
-- row's currency. Conversions are INTEGER thousandths: ad platforms and
-- attribution models report fractions of one.

-- The slug goes into utm_campaign: lower case, letters, digits and '-'.
-- Campaigns already stored get one from their name (crier registers the
-- function as crier_slug), numbered where two names give the same one.
ALTER TABLE campaigns ADD COLUMN slug TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN audience TEXT NOT NULL DEFAULT '';  -- who it is for and what they care about
ALTER TABLE campaigns ADD COLUMN updated_at INTEGER;
UPDATE campaigns SET slug = crier_slug(name), updated_at = created_at;
UPDATE campaigns SET slug = 'campaign-' || id WHERE slug = '';
UPDATE campaigns SET slug = slug || '-' || id
WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.slug = campaigns.slug AND c.id < campaigns.id);
-- A campaign written by a bulk writer (the demo) may have none yet ('').
CREATE UNIQUE INDEX campaigns_slug ON campaigns (slug) WHERE slug <> '';
-- The Campaigns list: newest first.
CREATE INDEX campaigns_starts ON campaigns (starts_on, id);
-- A campaign's posts (replies to the inbox are in none), newest first, a
-- page at a time; counted from the index alone (reply_to_item, always
-- NULL in it, is there for that).
CREATE INDEX posts_campaign_time ON posts (campaign_id, coalesce(scheduled_at, updated_at), id, reply_to_item)
    WHERE campaign_id IS NOT NULL AND reply_to_item IS NULL;

-- A goal: a metric, a target and a deadline, absolute ("1,000 followers by
-- 30 June") or relative to a baseline period ("conversions +15% over the
-- previous 90 days"). target's unit depends on the metric (store.Goal says
-- which); a relative goal's is the change in basis points (+15% = 1500).
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER REFERENCES campaigns (id) ON DELETE CASCADE,  -- NULL: stands alone
    metric         TEXT    NOT NULL CHECK (metric IN ('followers', 'engagement_per_post', 'replies_within',
                       'link_clicks', 'conversions', 'revenue', 'conversion_rate', 'ctr', 'cpa', 'roas', 'roi')),
    kind           TEXT    NOT NULL CHECK (kind IN ('absolute', 'relative')),
    target         INTEGER NOT NULL,
    currency       TEXT    NOT NULL DEFAULT '',     -- money metrics: the currency they are counted in
    within_minutes INTEGER NOT NULL DEFAULT 0,      -- replies_within: how soon a reply must go out
    starts_on      INTEGER NOT NULL,                -- the first day counted
    deadline       INTEGER NOT NULL,                -- the last day counted
    baseline_from  INTEGER,                         -- relative goals: the period compared with
    baseline_to    INTEGER,
    note           TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK (kind = 'absolute' OR (baseline_from IS NOT NULL AND baseline_to >= baseline_from)),
    CHECK (deadline >= starts_on)
);
-- A campaign's goals, and the goals still running on a day (the KPIs pane
-- shows the active ones first).
CREATE INDEX goals_campaign ON goals (campaign_id, deadline) WHERE campaign_id IS NOT NULL;
CREATE INDEX goals_deadline ON goals (deadline, starts_on);

-- The links crier tagged in a post's copy for one account: what the user
-- wrote and what went out.
CREATE TABLE tagged_links (
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url         TEXT    NOT NULL,              -- as written
    tagged      TEXT    NOT NULL,              -- as sent
    campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    source      TEXT    NOT NULL,              -- utm_source
    content     TEXT    NOT NULL,              -- utm_content
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (post_id, account_id, url)
) WITHOUT ROWID;
CREATE INDEX tagged_links_campaign ON tagged_links (campaign_id, content) WHERE campaign_id IS NOT NULL;

-- One import: a file, a pull from the Plausible API, or a figure typed in.
-- feed names whose numbers they are (plausible, ga4, meta_ads, google_ads,
-- sheet, manual, or a remembered layout's); a newer export of a feed
-- replaces the older one's rows of the same keys. exported_at decides which
-- is newer: the file's modification time, or when the API was asked.
CREATE TABLE marketing_imports (
    id           INTEGER PRIMARY KEY,
    feed         TEXT    NOT NULL,
    class        INTEGER NOT NULL CHECK (class BETWEEN 1 AND 4),  -- 1 analytics, 2 ads, 3 sheet, 4 manual
    preset       TEXT    NOT NULL,
    origin       TEXT    NOT NULL,               -- the file's name, "Plausible API: site", "typed in"
    sha256       TEXT    NOT NULL DEFAULT '',
    exported_at  INTEGER NOT NULL,
    imported_at  INTEGER NOT NULL,
    first_day    INTEGER,
    last_day     INTEGER,
    lines        INTEGER NOT NULL DEFAULT 0,     -- data lines read
    rows_written INTEGER NOT NULL DEFAULT 0,     -- rows new or replacing an older export's
    rows_kept    INTEGER NOT NULL DEFAULT 0      -- rows left to a newer export already stored
);
CREATE INDEX marketing_imports_feed ON marketing_imports (feed, imported_at);

-- What the sources reported, one row per key: feed, day, the campaign as
-- the source names it, source (the network) and content (the post, its
-- variant, or the ad). campaign_id is the crier campaign that name maps to
-- (0 for none), kept in the key so a campaign's rows are read in order.
-- A metric the source did not report is NULL, never 0. class is the
-- feed's (marketing_imports.class).
CREATE TABLE marketing_rows (
    campaign_id  INTEGER NOT NULL,
    day          INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    feed         TEXT    NOT NULL,
    ext_campaign TEXT    NOT NULL,
    class        INTEGER NOT NULL,
    batch_id     INTEGER NOT NULL,   -- the import that wrote it last
    line         INTEGER NOT NULL,   -- where in that import's file (its first line, when lines were added up)
    exported_at  INTEGER NOT NULL,   -- that import's
    currency     TEXT    NOT NULL DEFAULT '',
    impressions  INTEGER,
    clicks       INTEGER,
    sessions     INTEGER,
    conversions  INTEGER,            -- thousandths
    revenue      INTEGER,            -- minor units of currency
    spend        INTEGER,
    -- class follows from feed; in the key it orders a group's rows by
    -- class, so the sums per class come out of the key in order.
    PRIMARY KEY (campaign_id, day, source, class, content, feed, ext_campaign)
) WITHOUT ROWID;
-- Manual entries, listed by day.
CREATE INDEX marketing_rows_manual ON marketing_rows (day) WHERE class = 4;
-- A key one import gave in two currencies (marked while it is written, so
-- the import is refused): this index holds only such rows.
CREATE INDEX marketing_rows_mixed ON marketing_rows (batch_id) WHERE currency GLOB '!*';

-- The figures per campaign, day and source, summed from marketing_rows.
-- Where two kinds of source report the same metric for the same campaign,
-- day and network, one counts (store/marketing.go, marketingPrecedence):
-- the ad platform's link clicks over web analytics' visits, the user's
-- sheet's conversions over web analytics' and both over the ad platform's
-- "results". Typed-in entries always add. *_from says which class counted,
-- for tracing a figure to its rows. The derived sums are the parts of a
-- ratio that have both sides (clicks where impressions are known, ...).
CREATE TABLE marketing_days (
    campaign_id               INTEGER NOT NULL,
    day                       INTEGER NOT NULL,
    source                    TEXT    NOT NULL,
    impressions               INTEGER,
    clicks                    INTEGER,
    sessions                  INTEGER,
    conversions               INTEGER,
    clicks_with_impressions   INTEGER,
    conversions_with_sessions INTEGER,
    conversions_with_clicks   INTEGER,
    paid_clicks               INTEGER,  -- clicks where spend is known
    impressions_from          INTEGER,
    clicks_from               INTEGER,
    sessions_from             INTEGER,
    conversions_from          INTEGER,
    revenue_from              INTEGER,
    spend_from                INTEGER,
    PRIMARY KEY (campaign_id, day, source)
) WITHOUT ROWID;
CREATE INDEX marketing_days_day ON marketing_days (day, campaign_id);

-- The money of marketing_days, one row per currency.
CREATE TABLE marketing_day_money (
    campaign_id     INTEGER NOT NULL,
    day             INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    revenue         INTEGER,
    spend           INTEGER,
    spend_on_clicks INTEGER,  -- spend where clicks are known
    PRIMARY KEY (campaign_id, day, source, currency)
) WITHOUT ROWID;
CREATE INDEX marketing_day_money_day ON marketing_day_money (day, campaign_id);

-- Per campaign, source and content (a post's link, an ad): every row's
-- counts added up over all days, every class counted (a content with
-- nothing left in it goes), and its money per currency apart. post_id is
-- the crier post utm_content names ("post-12", or "post-12-a3" for account
-- 3's own text; CAST reads the leading number), 0 for none.
--
-- An import adds the rows it wrote when it commits, in one pass (a trigger
-- on every insert would cost more than the insert); the triggers below
-- take out a row another import's replaces, move a row whose campaign
-- changes, and take out a deleted one. Anything else that inserts into
-- marketing_rows calls store.RebuildMarketingSums after.
CREATE TABLE marketing_contents (
    campaign_id             INTEGER NOT NULL,
    source                  TEXT    NOT NULL,
    content                 TEXT    NOT NULL,
    post_id                 INTEGER NOT NULL,
    impressions             INTEGER NOT NULL DEFAULT 0,
    clicks_with_impressions INTEGER NOT NULL DEFAULT 0,
    clicks                  INTEGER NOT NULL DEFAULT 0,
    sessions                INTEGER NOT NULL DEFAULT 0,
    conversions             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, source, content)
) WITHOUT ROWID;
CREATE INDEX marketing_contents_post ON marketing_contents (post_id);
-- A campaign's links that brought in the most, read a page at a time.
CREATE INDEX marketing_contents_top ON marketing_contents (campaign_id, clicks DESC, source, content);

CREATE TABLE marketing_content_money (
    campaign_id INTEGER NOT NULL,
    source      TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    currency    TEXT    NOT NULL,
    revenue     INTEGER NOT NULL DEFAULT 0,
    spend       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, source, content, currency)
) WITHOUT ROWID;

CREATE TRIGGER marketing_contents_drop AFTER DELETE ON marketing_rows
BEGIN
    UPDATE marketing_contents SET
        impressions = impressions - coalesce(OLD.impressions, 0),
        clicks_with_impressions = clicks_with_impressions
            - CASE WHEN OLD.impressions IS NOT NULL THEN coalesce(OLD.clicks, 0) ELSE 0 END,
        clicks = clicks - coalesce(OLD.clicks, 0),
        sessions = sessions - coalesce(OLD.sessions, 0),
        conversions = conversions - coalesce(OLD.conversions, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content;
    DELETE FROM marketing_contents
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content
      AND impressions = 0 AND clicks = 0 AND sessions = 0 AND conversions = 0;
    UPDATE marketing_content_money SET
        revenue = revenue - coalesce(OLD.revenue, 0),
        spend = spend - coalesce(OLD.spend, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency;
    DELETE FROM marketing_content_money
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency
      AND revenue = 0 AND spend = 0;
END;

-- A newer export's row replaces an older one's: the older goes; the
-- import adds the newer when it commits. (Lines of one import added up
-- into one row are added by that import, once, with their sum.)
CREATE TRIGGER marketing_contents_replace AFTER UPDATE ON marketing_rows
WHEN OLD.batch_id <> NEW.batch_id
BEGIN
    UPDATE marketing_contents SET
        impressions = impressions - coalesce(OLD.impressions, 0),
        clicks_with_impressions = clicks_with_impressions
            - CASE WHEN OLD.impressions IS NOT NULL THEN coalesce(OLD.clicks, 0) ELSE 0 END,
        clicks = clicks - coalesce(OLD.clicks, 0),
        sessions = sessions - coalesce(OLD.sessions, 0),
        conversions = conversions - coalesce(OLD.conversions, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content;
    DELETE FROM marketing_contents
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content
      AND impressions = 0 AND clicks = 0 AND sessions = 0 AND conversions = 0;
    UPDATE marketing_content_money SET
        revenue = revenue - coalesce(OLD.revenue, 0),
        spend = spend - coalesce(OLD.spend, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency;
    DELETE FROM marketing_content_money
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency
      AND revenue = 0 AND spend = 0;
END;

-- A row moves to another campaign (a campaign name mapped).
CREATE TRIGGER marketing_contents_move AFTER UPDATE OF campaign_id ON marketing_rows
WHEN OLD.batch_id = NEW.batch_id AND OLD.campaign_id <> NEW.campaign_id
BEGIN
    UPDATE marketing_contents SET
        impressions = impressions - coalesce(OLD.impressions, 0),
        clicks_with_impressions = clicks_with_impressions
            - CASE WHEN OLD.impressions IS NOT NULL THEN coalesce(OLD.clicks, 0) ELSE 0 END,
        clicks = clicks - coalesce(OLD.clicks, 0),
        sessions = sessions - coalesce(OLD.sessions, 0),
        conversions = conversions - coalesce(OLD.conversions, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content;
    DELETE FROM marketing_contents
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content
      AND impressions = 0 AND clicks = 0 AND sessions = 0 AND conversions = 0;
    UPDATE marketing_content_money SET
        revenue = revenue - coalesce(OLD.revenue, 0),
        spend = spend - coalesce(OLD.spend, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency;
    DELETE FROM marketing_content_money
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency
      AND revenue = 0 AND spend = 0;
    INSERT INTO marketing_contents (campaign_id, source, content, post_id, impressions, clicks_with_impressions,
        clicks, sessions, conversions)
    VALUES (NEW.campaign_id, NEW.source, NEW.content, CASE WHEN NEW.content GLOB 'post-[1-9]*' THEN CAST(substr(NEW.content, 6) AS INTEGER) ELSE 0 END,
        coalesce(NEW.impressions, 0), CASE WHEN NEW.impressions IS NOT NULL THEN coalesce(NEW.clicks, 0) ELSE 0 END,
        coalesce(NEW.clicks, 0), coalesce(NEW.sessions, 0), coalesce(NEW.conversions, 0))
    ON CONFLICT DO UPDATE SET
        impressions = impressions + excluded.impressions,
        clicks_with_impressions = clicks_with_impressions + excluded.clicks_with_impressions,
        clicks = clicks + excluded.clicks,
        sessions = sessions + excluded.sessions,
        conversions = conversions + excluded.conversions;
    INSERT INTO marketing_content_money (campaign_id, source, content, currency, revenue, spend)
    SELECT NEW.campaign_id, NEW.source, NEW.content, NEW.currency, coalesce(NEW.revenue, 0), coalesce(NEW.spend, 0)
    WHERE NEW.currency <> '' AND (coalesce(NEW.revenue, 0) <> 0 OR coalesce(NEW.spend, 0) <> 0)
    ON CONFLICT DO UPDATE SET revenue = revenue + excluded.revenue, spend = spend + excluded.spend;
END;

-- Column mappings the user made for a layout no preset knows, found again
-- by the file's header (normalised: trimmed, lower case, one separator).
CREATE TABLE marketing_layouts (
    header     TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL DEFAULT '',
    mapping    TEXT    NOT NULL,              -- JSON (csvimport.Mapping)
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- External campaign names (as an ad platform or an export writes them):
-- every one an import has seen, and the crier campaign the user mapped it
-- to (NULL: not mapped). A name equal to a campaign's slug, or giving it
-- when made into one, needs no mapping.
CREATE TABLE marketing_campaign_names (
    name        TEXT    PRIMARY KEY,
    campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    seen_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX marketing_campaign_names_campaign ON marketing_campaign_names (campaign_id) WHERE campaign_id IS NOT NULL;
