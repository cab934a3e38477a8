CREATE TABLE `assignment_counts` (
	`label_id` integer NOT NULL,
	`resource_type` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`label_id`, `resource_type`, `slot`),
	FOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `resource_counts` (
	`workspace_id` integer NOT NULL,
	`type` text NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `type`, `slot`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- resource_counts holds each workspace's number of resources of each type, assignment_counts each label's number
-- of assignments (resources) of each type, kept here whichever statement changes them: a row made by the first
-- resource (assignment) of its key to be counted, one more or one fewer on each insert and delete (cascades of a
-- workspace, a label, a resource included; a row's own key gone with its workspace or label, the update finds
-- nothing), and a resource or an assignment whose key columns change counted out of the one key and into the
-- other. One writer at a time: each number is its slot 0 alone (PostgreSQL spreads it over 16). The triggers come
-- before the rows are counted, as on PostgreSQL.
CREATE TRIGGER `resource_counts_resource_added` AFTER INSERT ON `resources` BEGIN
  INSERT INTO `resource_counts` (`workspace_id`, `type`, `slot`, `count`) VALUES (NEW.`workspace_id`, NEW.`type`, 0, 1)
    ON CONFLICT (`workspace_id`, `type`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `resource_counts_resource_removed` AFTER DELETE ON `resources` BEGIN
  UPDATE `resource_counts` SET `count` = `count` - 1 WHERE `workspace_id` = OLD.`workspace_id` AND `type` = OLD.`type` AND `slot` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `resource_counts_resource_moved` AFTER UPDATE OF `workspace_id`, `type` ON `resources`
  WHEN OLD.`workspace_id` <> NEW.`workspace_id` OR OLD.`type` <> NEW.`type` BEGIN
  UPDATE `resource_counts` SET `count` = `count` - 1 WHERE `workspace_id` = OLD.`workspace_id` AND `type` = OLD.`type` AND `slot` = 0;
  INSERT INTO `resource_counts` (`workspace_id`, `type`, `slot`, `count`) VALUES (NEW.`workspace_id`, NEW.`type`, 0, 1)
    ON CONFLICT (`workspace_id`, `type`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
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
END;--> statement-breakpoint
-- The resources and assignments already there, counted.
INSERT INTO `resource_counts` (`workspace_id`, `type`, `slot`, `count`)
  SELECT `workspace_id`, `type`, 0, count(*) FROM `resources` GROUP BY `workspace_id`, `type`;--> statement-breakpoint
INSERT INTO `assignment_counts` (`label_id`, `resource_type`, `slot`, `count`)
  SELECT `label_id`, `resource_type`, 0, count(*) FROM `assignments` GROUP BY `label_id`, `resource_type`;
