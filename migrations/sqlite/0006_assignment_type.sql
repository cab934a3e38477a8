-- The resource's type on each assignment, filled from its resource: SQLite adds a NOT NULL column only with a
-- default, so the table is built again with it (nothing references assignments; its rows keep their keys).
CREATE TABLE `__new_assignments` (
	`label_id` integer NOT NULL,
	`resource_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`resource_type` text NOT NULL,
	PRIMARY KEY(`label_id`, `resource_id`),
	FOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_assignments` (`label_id`, `resource_id`, `created_at`, `resource_type`)
  SELECT a.`label_id`, a.`resource_id`, a.`created_at`, r.`type` FROM `assignments` a JOIN `resources` r ON r.`id` = a.`resource_id` ORDER BY a.`label_id`, a.`resource_id`;--> statement-breakpoint
DROP TABLE `assignments`;--> statement-breakpoint
ALTER TABLE `__new_assignments` RENAME TO `assignments`;--> statement-breakpoint
CREATE INDEX `assignments_resource_idx` ON `assignments` (`resource_id`,`label_id`);--> statement-breakpoint
CREATE INDEX `assignments_label_type_idx` ON `assignments` (`label_id`,`resource_type`,`resource_id`);
