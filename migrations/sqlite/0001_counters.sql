CREATE TABLE `counters` (
	`scope` text NOT NULL,
	`subject` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`scope`, `subject`, `day`)
);
