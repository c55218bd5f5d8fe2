-- crier schema, version 10: a link's figures say which metrics a source
-- reported, and from which kinds of source they came.
--
-- marketing_contents added every row's counts with NULL read as 0, so an
-- ad's sessions (no ad platform reports them) read as a real 0 and were
-- added into sums as one. Each metric now has the number of rows that
-- reported it (*_rows): 0 means no source did, and the figure is unknown.
-- class_N_rows are how many of its rows that report a count are of class
-- N (1 web analytics, 2 ad platform, 3 sheet, 4 typed in), so a link's line
-- can say whether the figures count it: where an ad platform and web
-- analytics both report a network's clicks, the ad platform's count
-- (marketing_days.clicks_from) and the visits' rows do not.
--
-- A content is kept while a row reports one of its counts (a reported 0
-- is a figure; before, a content whose counts summed to 0 went). The
-- triggers keep the row counts as they keep the sums; the table is rebuilt
-- from marketing_rows here (store.RebuildMarketingSums writes it the same
-- way).
ALTER TABLE marketing_contents ADD COLUMN impressions_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN clicks_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN sessions_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN conversions_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN class_1_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN class_2_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN class_3_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marketing_contents ADD COLUMN class_4_rows INTEGER NOT NULL DEFAULT 0;

DELETE FROM marketing_contents;
INSERT INTO marketing_contents (campaign_id, source, content, post_id, impressions, clicks_with_impressions,
    clicks, sessions, conversions, impressions_rows, clicks_rows, sessions_rows, conversions_rows,
    class_1_rows, class_2_rows, class_3_rows, class_4_rows)
SELECT campaign_id, source, content,
       CASE WHEN content GLOB 'post-[1-9]*' THEN CAST(substr(content, 6) AS INTEGER) ELSE 0 END,
       coalesce(sum(impressions), 0), coalesce(sum(CASE WHEN impressions IS NOT NULL THEN clicks END), 0),
       coalesce(sum(clicks), 0), coalesce(sum(sessions), 0), coalesce(sum(conversions), 0),
       count(impressions), count(clicks), count(sessions), count(conversions),
       sum(class = 1 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL)), sum(class = 2 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL)),
       sum(class = 3 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL)), sum(class = 4 AND (impressions IS NOT NULL OR clicks IS NOT NULL OR sessions IS NOT NULL OR conversions IS NOT NULL))
FROM marketing_rows GROUP BY campaign_id, source, content
HAVING count(impressions) + count(clicks) + count(sessions) + count(conversions) > 0;

DROP TRIGGER marketing_contents_drop;
DROP TRIGGER marketing_contents_replace;
DROP TRIGGER marketing_contents_move;

CREATE TRIGGER marketing_contents_drop AFTER DELETE ON marketing_rows
BEGIN
    UPDATE marketing_contents SET
        impressions = impressions - coalesce(OLD.impressions, 0),
        clicks_with_impressions = clicks_with_impressions
            - CASE WHEN OLD.impressions IS NOT NULL THEN coalesce(OLD.clicks, 0) ELSE 0 END,
        clicks = clicks - coalesce(OLD.clicks, 0),
        sessions = sessions - coalesce(OLD.sessions, 0),
        conversions = conversions - coalesce(OLD.conversions, 0),
        impressions_rows = max(0, impressions_rows - (OLD.impressions IS NOT NULL)),
        clicks_rows = max(0, clicks_rows - (OLD.clicks IS NOT NULL)),
        sessions_rows = max(0, sessions_rows - (OLD.sessions IS NOT NULL)),
        conversions_rows = max(0, conversions_rows - (OLD.conversions IS NOT NULL)),
        class_1_rows = max(0, class_1_rows - (OLD.class = 1 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_2_rows = max(0, class_2_rows - (OLD.class = 2 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_3_rows = max(0, class_3_rows - (OLD.class = 3 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_4_rows = max(0, class_4_rows - (OLD.class = 4 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL)))
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content;
    DELETE FROM marketing_contents
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content
      AND impressions_rows = 0 AND clicks_rows = 0 AND sessions_rows = 0 AND conversions_rows = 0;
    UPDATE marketing_content_money SET
        revenue = revenue - coalesce(OLD.revenue, 0),
        spend = spend - coalesce(OLD.spend, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency;
    DELETE FROM marketing_content_money
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency
      AND revenue = 0 AND spend = 0;
END;

-- A newer export's row replaces an older one's: the older goes; the
-- import adds the newer when it commits.
CREATE TRIGGER marketing_contents_replace AFTER UPDATE ON marketing_rows
WHEN OLD.batch_id <> NEW.batch_id
BEGIN
    UPDATE marketing_contents SET
        impressions = impressions - coalesce(OLD.impressions, 0),
        clicks_with_impressions = clicks_with_impressions
            - CASE WHEN OLD.impressions IS NOT NULL THEN coalesce(OLD.clicks, 0) ELSE 0 END,
        clicks = clicks - coalesce(OLD.clicks, 0),
        sessions = sessions - coalesce(OLD.sessions, 0),
        conversions = conversions - coalesce(OLD.conversions, 0),
        impressions_rows = max(0, impressions_rows - (OLD.impressions IS NOT NULL)),
        clicks_rows = max(0, clicks_rows - (OLD.clicks IS NOT NULL)),
        sessions_rows = max(0, sessions_rows - (OLD.sessions IS NOT NULL)),
        conversions_rows = max(0, conversions_rows - (OLD.conversions IS NOT NULL)),
        class_1_rows = max(0, class_1_rows - (OLD.class = 1 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_2_rows = max(0, class_2_rows - (OLD.class = 2 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_3_rows = max(0, class_3_rows - (OLD.class = 3 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_4_rows = max(0, class_4_rows - (OLD.class = 4 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL)))
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content;
    DELETE FROM marketing_contents
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content
      AND impressions_rows = 0 AND clicks_rows = 0 AND sessions_rows = 0 AND conversions_rows = 0;
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
        conversions = conversions - coalesce(OLD.conversions, 0),
        impressions_rows = max(0, impressions_rows - (OLD.impressions IS NOT NULL)),
        clicks_rows = max(0, clicks_rows - (OLD.clicks IS NOT NULL)),
        sessions_rows = max(0, sessions_rows - (OLD.sessions IS NOT NULL)),
        conversions_rows = max(0, conversions_rows - (OLD.conversions IS NOT NULL)),
        class_1_rows = max(0, class_1_rows - (OLD.class = 1 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_2_rows = max(0, class_2_rows - (OLD.class = 2 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_3_rows = max(0, class_3_rows - (OLD.class = 3 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL))),
        class_4_rows = max(0, class_4_rows - (OLD.class = 4 AND (OLD.impressions IS NOT NULL OR OLD.clicks IS NOT NULL OR OLD.sessions IS NOT NULL OR OLD.conversions IS NOT NULL)))
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content;
    DELETE FROM marketing_contents
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content
      AND impressions_rows = 0 AND clicks_rows = 0 AND sessions_rows = 0 AND conversions_rows = 0;
    UPDATE marketing_content_money SET
        revenue = revenue - coalesce(OLD.revenue, 0),
        spend = spend - coalesce(OLD.spend, 0)
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency;
    DELETE FROM marketing_content_money
    WHERE campaign_id = OLD.campaign_id AND source = OLD.source AND content = OLD.content AND currency = OLD.currency
      AND revenue = 0 AND spend = 0;
    INSERT INTO marketing_contents (campaign_id, source, content, post_id, impressions, clicks_with_impressions,
        clicks, sessions, conversions, impressions_rows, clicks_rows, sessions_rows, conversions_rows,
    class_1_rows, class_2_rows, class_3_rows, class_4_rows)
    SELECT NEW.campaign_id, NEW.source, NEW.content, CASE WHEN NEW.content GLOB 'post-[1-9]*' THEN CAST(substr(NEW.content, 6) AS INTEGER) ELSE 0 END,
        coalesce(NEW.impressions, 0), CASE WHEN NEW.impressions IS NOT NULL THEN coalesce(NEW.clicks, 0) ELSE 0 END,
        coalesce(NEW.clicks, 0), coalesce(NEW.sessions, 0), coalesce(NEW.conversions, 0),
        NEW.impressions IS NOT NULL, NEW.clicks IS NOT NULL, NEW.sessions IS NOT NULL, NEW.conversions IS NOT NULL,
        NEW.class = 1, NEW.class = 2, NEW.class = 3, NEW.class = 4
    WHERE (NEW.impressions IS NOT NULL OR NEW.clicks IS NOT NULL OR NEW.sessions IS NOT NULL OR NEW.conversions IS NOT NULL)
    ON CONFLICT DO UPDATE SET
        impressions = impressions + excluded.impressions,
        clicks_with_impressions = clicks_with_impressions + excluded.clicks_with_impressions,
        clicks = clicks + excluded.clicks,
        sessions = sessions + excluded.sessions,
        conversions = conversions + excluded.conversions,
        impressions_rows = impressions_rows + excluded.impressions_rows,
        clicks_rows = clicks_rows + excluded.clicks_rows,
        sessions_rows = sessions_rows + excluded.sessions_rows,
        conversions_rows = conversions_rows + excluded.conversions_rows,
        class_1_rows = class_1_rows + excluded.class_1_rows,
        class_2_rows = class_2_rows + excluded.class_2_rows,
        class_3_rows = class_3_rows + excluded.class_3_rows,
        class_4_rows = class_4_rows + excluded.class_4_rows;
    INSERT INTO marketing_content_money (campaign_id, source, content, currency, revenue, spend)
    SELECT NEW.campaign_id, NEW.source, NEW.content, NEW.currency, coalesce(NEW.revenue, 0), coalesce(NEW.spend, 0)
    WHERE NEW.currency <> '' AND (coalesce(NEW.revenue, 0) <> 0 OR coalesce(NEW.spend, 0) <> 0)
    ON CONFLICT DO UPDATE SET revenue = revenue + excluded.revenue, spend = spend + excluded.spend;
END;
