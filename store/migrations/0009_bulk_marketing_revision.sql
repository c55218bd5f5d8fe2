-- crier schema, version 9: the marketing rows and their sums bump the
-- content revision once per write, not once per row.
--
-- marketing_rows takes a million rows in one import, and its sums
-- (marketing_days, marketing_day_money, marketing_contents,
-- marketing_content_money) tens of thousands: version 7's triggers bumped
-- the revision for every one of them, a sixth of an import's time. Every
-- write to these tables ends by recomputing the sums of the groups it
-- touched (store.recomputeDirty: an import's Commit, a typed-in entry
-- deleted, rows moved to another campaign, a rebuild), and that bumps the
-- revision once, in the same transaction. store's tests name these tables
-- and check each such write is seen.
DROP TRIGGER IF EXISTS content_insert_marketing_rows;
DROP TRIGGER IF EXISTS content_update_marketing_rows;
DROP TRIGGER IF EXISTS content_delete_marketing_rows;

DROP TRIGGER IF EXISTS content_insert_marketing_days;
DROP TRIGGER IF EXISTS content_update_marketing_days;
DROP TRIGGER IF EXISTS content_delete_marketing_days;

DROP TRIGGER IF EXISTS content_insert_marketing_day_money;
DROP TRIGGER IF EXISTS content_update_marketing_day_money;
DROP TRIGGER IF EXISTS content_delete_marketing_day_money;

DROP TRIGGER IF EXISTS content_insert_marketing_contents;
DROP TRIGGER IF EXISTS content_update_marketing_contents;
DROP TRIGGER IF EXISTS content_delete_marketing_contents;

DROP TRIGGER IF EXISTS content_insert_marketing_content_money;
DROP TRIGGER IF EXISTS content_update_marketing_content_money;
DROP TRIGGER IF EXISTS content_delete_marketing_content_money;
