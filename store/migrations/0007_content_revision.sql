-- crier schema, version 7: a revision of what the app shows.

-- What the app shows changed: a revision that every write to a table the
-- app shows bumps, in the same transaction. Watchers (crier serve's
-- sessions) first ask PRAGMA data_version whether anything was committed,
-- and then this whether it was something they show: the sender lease's
-- heartbeat and the sync cursors are bookkeeping and do not bump it.
--
-- Every table but leases, sync_cursors and the inbox search index (which
-- follows inbox_items) has the three triggers; store's tests check that a
-- table added later has them too. (IF NOT EXISTS: a test that takes a
-- database back to an older version drops only that version's tables.)
CREATE TABLE IF NOT EXISTS content_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT OR IGNORE INTO content_revision (id, n) VALUES (1, 0);

CREATE TRIGGER IF NOT EXISTS content_insert_ab_plan AFTER INSERT ON ab_plan BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_ab_plan AFTER UPDATE ON ab_plan BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_ab_plan AFTER DELETE ON ab_plan BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_ab_test_accounts AFTER INSERT ON ab_test_accounts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_ab_test_accounts AFTER UPDATE ON ab_test_accounts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_ab_test_accounts AFTER DELETE ON ab_test_accounts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_ab_tests AFTER INSERT ON ab_tests BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_ab_tests AFTER UPDATE ON ab_tests BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_ab_tests AFTER DELETE ON ab_tests BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_ab_variants AFTER INSERT ON ab_variants BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_ab_variants AFTER UPDATE ON ab_variants BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_ab_variants AFTER DELETE ON ab_variants BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_accounts AFTER INSERT ON accounts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_accounts AFTER UPDATE ON accounts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_accounts AFTER DELETE ON accounts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_campaigns AFTER INSERT ON campaigns BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_campaigns AFTER UPDATE ON campaigns BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_campaigns AFTER DELETE ON campaigns BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_competitor_posts AFTER INSERT ON competitor_posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_competitor_posts AFTER UPDATE ON competitor_posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_competitor_posts AFTER DELETE ON competitor_posts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_competitor_snapshots AFTER INSERT ON competitor_snapshots BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_competitor_snapshots AFTER UPDATE ON competitor_snapshots BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_competitor_snapshots AFTER DELETE ON competitor_snapshots BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_competitors AFTER INSERT ON competitors BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_competitors AFTER UPDATE ON competitors BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_competitors AFTER DELETE ON competitors BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_deliveries AFTER INSERT ON deliveries BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_deliveries AFTER UPDATE ON deliveries BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_deliveries AFTER DELETE ON deliveries BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_delivery_metrics AFTER INSERT ON delivery_metrics BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_delivery_metrics AFTER UPDATE ON delivery_metrics BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_delivery_metrics AFTER DELETE ON delivery_metrics BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_evergreen AFTER INSERT ON evergreen BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_evergreen AFTER UPDATE ON evergreen BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_evergreen AFTER DELETE ON evergreen BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_evergreen_shares AFTER INSERT ON evergreen_shares BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_evergreen_shares AFTER UPDATE ON evergreen_shares BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_evergreen_shares AFTER DELETE ON evergreen_shares BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_feed_entries AFTER INSERT ON feed_entries BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_feed_entries AFTER UPDATE ON feed_entries BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_feed_entries AFTER DELETE ON feed_entries BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_feeds AFTER INSERT ON feeds BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_feeds AFTER UPDATE ON feeds BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_feeds AFTER DELETE ON feeds BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_follower_snapshots AFTER INSERT ON follower_snapshots BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_follower_snapshots AFTER UPDATE ON follower_snapshots BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_follower_snapshots AFTER DELETE ON follower_snapshots BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_goals AFTER INSERT ON goals BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_goals AFTER UPDATE ON goals BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_goals AFTER DELETE ON goals BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_inbox_items AFTER INSERT ON inbox_items BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_inbox_items AFTER UPDATE ON inbox_items BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_inbox_items AFTER DELETE ON inbox_items BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_campaign_names AFTER INSERT ON marketing_campaign_names BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_campaign_names AFTER UPDATE ON marketing_campaign_names BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_campaign_names AFTER DELETE ON marketing_campaign_names BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_content_money AFTER INSERT ON marketing_content_money BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_content_money AFTER UPDATE ON marketing_content_money BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_content_money AFTER DELETE ON marketing_content_money BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_contents AFTER INSERT ON marketing_contents BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_contents AFTER UPDATE ON marketing_contents BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_contents AFTER DELETE ON marketing_contents BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_day_money AFTER INSERT ON marketing_day_money BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_day_money AFTER UPDATE ON marketing_day_money BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_day_money AFTER DELETE ON marketing_day_money BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_days AFTER INSERT ON marketing_days BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_days AFTER UPDATE ON marketing_days BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_days AFTER DELETE ON marketing_days BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_imports AFTER INSERT ON marketing_imports BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_imports AFTER UPDATE ON marketing_imports BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_imports AFTER DELETE ON marketing_imports BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_layouts AFTER INSERT ON marketing_layouts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_layouts AFTER UPDATE ON marketing_layouts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_layouts AFTER DELETE ON marketing_layouts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_marketing_rows AFTER INSERT ON marketing_rows BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_marketing_rows AFTER UPDATE ON marketing_rows BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_marketing_rows AFTER DELETE ON marketing_rows BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_meta AFTER INSERT ON meta BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_meta AFTER UPDATE ON meta BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_meta AFTER DELETE ON meta BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_post_labels AFTER INSERT ON post_labels BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_post_labels AFTER UPDATE ON post_labels BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_post_labels AFTER DELETE ON post_labels BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_post_media AFTER INSERT ON post_media BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_post_media AFTER UPDATE ON post_media BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_post_media AFTER DELETE ON post_media BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_post_targets AFTER INSERT ON post_targets BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_post_targets AFTER UPDATE ON post_targets BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_post_targets AFTER DELETE ON post_targets BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_posts AFTER INSERT ON posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_posts AFTER UPDATE ON posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_posts AFTER DELETE ON posts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_queue_entries AFTER INSERT ON queue_entries BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_queue_entries AFTER UPDATE ON queue_entries BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_queue_entries AFTER DELETE ON queue_entries BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_queue_settings AFTER INSERT ON queue_settings BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_queue_settings AFTER UPDATE ON queue_settings BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_queue_settings AFTER DELETE ON queue_settings BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_queue_slots AFTER INSERT ON queue_slots BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_queue_slots AFTER UPDATE ON queue_slots BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_queue_slots AFTER DELETE ON queue_slots BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_recurrence_posts AFTER INSERT ON recurrence_posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_recurrence_posts AFTER UPDATE ON recurrence_posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_recurrence_posts AFTER DELETE ON recurrence_posts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_recurrences AFTER INSERT ON recurrences BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_recurrences AFTER UPDATE ON recurrences BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_recurrences AFTER DELETE ON recurrences BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_sandbox_posts AFTER INSERT ON sandbox_posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_sandbox_posts AFTER UPDATE ON sandbox_posts BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_sandbox_posts AFTER DELETE ON sandbox_posts BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_saved_replies AFTER INSERT ON saved_replies BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_saved_replies AFTER UPDATE ON saved_replies BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_saved_replies AFTER DELETE ON saved_replies BEGIN UPDATE content_revision SET n = n + 1; END;

CREATE TRIGGER IF NOT EXISTS content_insert_tagged_links AFTER INSERT ON tagged_links BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_update_tagged_links AFTER UPDATE ON tagged_links BEGIN UPDATE content_revision SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS content_delete_tagged_links AFTER DELETE ON tagged_links BEGIN UPDATE content_revision SET n = n + 1; END;
