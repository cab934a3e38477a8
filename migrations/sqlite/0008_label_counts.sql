CREATE TABLE `label_counts` (
	`workspace_id` integer NOT NULL,
	`slot` integer DEFAULT 0 NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `slot`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- label_counts holds each workspace's number of labels, kept here whichever statement changes them: a row made
-- with its workspace (and deleted with it), one more or one fewer on each insert and delete of a label (cascades
-- included), and a label moved to another workspace counted out of the one and into the other. One writer at a
-- time: each workspace's number is its slot 0 alone (PostgreSQL spreads it over 16). The triggers come before the
-- rows are counted, as on PostgreSQL.
CREATE TRIGGER `label_counts_workspace_added` AFTER INSERT ON `workspaces` BEGIN
  INSERT INTO `label_counts` (`workspace_id`, `slot`, `count`) VALUES (NEW.`id`, 0, 0);
END;--> statement-breakpoint
CREATE TRIGGER `label_counts_label_added` AFTER INSERT ON `labels` BEGIN
  UPDATE `label_counts` SET `count` = `count` + 1 WHERE `workspace_id` = NEW.`workspace_id` AND `slot` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `label_counts_label_removed` AFTER DELETE ON `labels` BEGIN
  UPDATE `label_counts` SET `count` = `count` - 1 WHERE `workspace_id` = OLD.`workspace_id` AND `slot` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `label_counts_label_moved` AFTER UPDATE OF `workspace_id` ON `labels` WHEN OLD.`workspace_id` <> NEW.`workspace_id` BEGIN
  UPDATE `label_counts` SET `count` = `count` + (CASE WHEN `workspace_id` = NEW.`workspace_id` THEN 1 ELSE -1 END)
    WHERE `workspace_id` IN (OLD.`workspace_id`, NEW.`workspace_id`) AND `slot` = 0;
END;--> statement-breakpoint
-- The workspaces already there, with their labels counted.
INSERT INTO `label_counts` (`workspace_id`, `slot`, `count`)
  SELECT `w`.`id`, 0, (SELECT count(*) FROM `labels` `l` WHERE `l`.`workspace_id` = `w`.`id`) FROM `workspaces` `w`;
