-- The resource's creation time, external id and name on each assignment, filled from its resource: SQLite adds a
-- NOT NULL column only with a default, so the table is built again with them (nothing references assignments; its
-- rows keep their keys, and the counts stand: the triggers on the old table go with it before its rows do, and are
-- made again on the new one below).
CREATE TABLE `__new_assignments` (
	`label_id` integer NOT NULL,
	`resource_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`resource_type` text NOT NULL,
	`resource_created_at` integer NOT NULL,
	`resource_external_id` text NOT NULL,
	`resource_name` text,
	PRIMARY KEY(`label_id`, `resource_id`),
	FOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_assignments` (`label_id`, `resource_id`, `created_at`, `resource_type`, `resource_created_at`, `resource_external_id`, `resource_name`)
  SELECT a.`label_id`, a.`resource_id`, a.`created_at`, a.`resource_type`, r.`created_at`, r.`external_id`, r.`name`
  FROM `assignments` a JOIN `resources` r ON r.`id` = a.`resource_id` ORDER BY a.`label_id`, a.`resource_id`;--> statement-breakpoint
DROP TABLE `assignments`;--> statement-breakpoint
ALTER TABLE `__new_assignments` RENAME TO `assignments`;--> statement-breakpoint
CREATE INDEX `assignments_resource_idx` ON `assignments` (`resource_id`,`label_id`);--> statement-breakpoint
CREATE INDEX `assignments_label_type_idx` ON `assignments` (`label_id`,`resource_type`,`resource_id`);--> statement-breakpoint
CREATE INDEX `assignments_label_created_idx` ON `assignments` (`label_id`,`resource_created_at`,`resource_id`);--> statement-breakpoint
CREATE INDEX `assignments_label_external_idx` ON `assignments` (`label_id`,`resource_external_id`,`resource_id`);--> statement-breakpoint
CREATE INDEX `assignments_label_name_idx` ON `assignments` (`label_id`,"resource_name" collate nocase,`resource_id`);--> statement-breakpoint
-- The counts' triggers of 0009_page_counts, as they were.
CREATE TRIGGER `assignment_counts_assignment_added` AFTER INSERT ON `assignments` BEGIN
  INSERT INTO `assignment_counts` (`label_id`, `resource_type`, `slot`, `count`) VALUES (NEW.`label_id`, NEW.`resource_type`, 0, 1)
    ON CONFLICT (`label_id`, `resource_type`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `assignment_counts_assignment_removed` AFTER DELETE ON `assignments` BEGIN
  UPDATE `assignment_counts` SET `count` = `count` - 1 WHERE `label_id` = OLD.`label_id` AND `resource_type` = OLD.`resource_type` AND `slot` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `assignment_counts_assignment_moved` AFTER UPDATE OF `label_id`, `resource_type` ON `assignments`
  WHEN OLD.`label_id` <> NEW.`label_id` OR OLD.`resource_type` <> NEW.`resource_type` BEGIN
  UPDATE `assignment_counts` SET `count` = `count` - 1 WHERE `label_id` = OLD.`label_id` AND `resource_type` = OLD.`resource_type` AND `slot` = 0;
  INSERT INTO `assignment_counts` (`label_id`, `resource_type`, `slot`, `count`) VALUES (NEW.`label_id`, NEW.`resource_type`, 0, 1)
    ON CONFLICT (`label_id`, `resource_type`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;
--> statement-breakpoint
-- A resource whose kept keys change (the admin API's upsert renames) has them changed on its assignments, whichever
-- statement changes them (by assignments_resource_idx).
CREATE TRIGGER `assignments_resource_keys_changed` AFTER UPDATE OF `created_at`, `external_id`, `name` ON `resources`
  WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`external_id` IS NOT NEW.`external_id` OR OLD.`name` IS NOT NEW.`name` BEGIN
  UPDATE `assignments` SET `resource_created_at` = NEW.`created_at`, `resource_external_id` = NEW.`external_id`, `resource_name` = NEW.`name`
    WHERE `resource_id` = NEW.`id`;
END;
