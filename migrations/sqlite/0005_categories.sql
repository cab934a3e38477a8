ALTER TABLE `labels` ADD `has_children` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `labels` SET `has_children` = 1 WHERE `id` IN (SELECT `parent_id` FROM `labels` WHERE `parent_id` IS NOT NULL);--> statement-breakpoint
CREATE INDEX `labels_categories_idx` ON `labels` (`workspace_id`,`name`,`id`) WHERE "labels"."parent_id" is null and "labels"."starts_at" is null and "labels"."has_children" = 1;--> statement-breakpoint
-- has_children follows every insert, move and delete of a child (cascades included), whichever statement does it.
CREATE TRIGGER `labels_child_added` AFTER INSERT ON `labels` WHEN NEW.`parent_id` IS NOT NULL BEGIN
  UPDATE `labels` SET `has_children` = 1 WHERE `id` = NEW.`parent_id` AND `has_children` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `labels_child_moved` AFTER UPDATE OF `parent_id` ON `labels` WHEN OLD.`parent_id` IS NOT NEW.`parent_id` BEGIN
  UPDATE `labels` SET `has_children` = 1 WHERE `id` = NEW.`parent_id` AND `has_children` = 0;
  UPDATE `labels` SET `has_children` = 0 WHERE `id` = OLD.`parent_id` AND `has_children` = 1 AND NOT EXISTS (SELECT 1 FROM `labels` WHERE `parent_id` = OLD.`parent_id`);
END;--> statement-breakpoint
CREATE TRIGGER `labels_child_removed` AFTER DELETE ON `labels` WHEN OLD.`parent_id` IS NOT NULL BEGIN
  UPDATE `labels` SET `has_children` = 0 WHERE `id` = OLD.`parent_id` AND `has_children` = 1 AND NOT EXISTS (SELECT 1 FROM `labels` WHERE `parent_id` = OLD.`parent_id`);
END;
