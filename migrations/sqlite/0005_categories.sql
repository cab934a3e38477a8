ALTER TABLE `labels` ADD `is_category` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `labels` SET `is_category` = 1 WHERE `parent_id` IS NULL AND `starts_at` IS NULL AND `id` IN (SELECT `parent_id` FROM `labels` WHERE `parent_id` IS NOT NULL);--> statement-breakpoint
CREATE INDEX `labels_categories_idx` ON `labels` (`workspace_id`,`name`,`id`) WHERE "labels"."is_category" = 1;--> statement-breakpoint
-- is_category (top level, no time span, a child) follows every insert, move and delete of a label, cascades
-- included, whichever statement makes it.
CREATE TRIGGER `labels_category_child_added` AFTER INSERT ON `labels` WHEN NEW.`parent_id` IS NOT NULL BEGIN
  UPDATE `labels` SET `is_category` = 1 WHERE `id` = NEW.`parent_id` AND `is_category` = 0 AND `parent_id` IS NULL AND `starts_at` IS NULL;
END;--> statement-breakpoint
CREATE TRIGGER `labels_category_child_removed` AFTER DELETE ON `labels` WHEN OLD.`parent_id` IS NOT NULL BEGIN
  UPDATE `labels` SET `is_category` = 0 WHERE `id` = OLD.`parent_id` AND `is_category` = 1 AND NOT EXISTS (SELECT 1 FROM `labels` WHERE `parent_id` = OLD.`parent_id`);
END;--> statement-breakpoint
CREATE TRIGGER `labels_category_moved` AFTER UPDATE OF `parent_id`, `starts_at` ON `labels` WHEN OLD.`parent_id` IS NOT NEW.`parent_id` OR OLD.`starts_at` IS NOT NEW.`starts_at` BEGIN
  UPDATE `labels` SET `is_category` = 1 WHERE `id` = NEW.`parent_id` AND `is_category` = 0 AND `parent_id` IS NULL AND `starts_at` IS NULL;
  UPDATE `labels` SET `is_category` = 0 WHERE `id` = OLD.`parent_id` AND `is_category` = 1 AND NOT EXISTS (SELECT 1 FROM `labels` WHERE `parent_id` = OLD.`parent_id`);
  UPDATE `labels` SET `is_category` = (NEW.`parent_id` IS NULL AND NEW.`starts_at` IS NULL AND EXISTS (SELECT 1 FROM `labels` WHERE `parent_id` = NEW.`id`))
    WHERE `id` = NEW.`id` AND `is_category` IS NOT (NEW.`parent_id` IS NULL AND NEW.`starts_at` IS NULL AND EXISTS (SELECT 1 FROM `labels` WHERE `parent_id` = NEW.`id`));
END;
