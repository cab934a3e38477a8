CREATE INDEX `api_keys_workspace_idx` ON `api_keys` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `labels_workspace_updated_idx` ON `labels` (`workspace_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `labels_workspace_parent_idx` ON `labels` (`workspace_id`,`parent_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `labels_created_by_idx` ON `labels` (`created_by`);--> statement-breakpoint
CREATE INDEX `resources_workspace_external_idx` ON `resources` (`workspace_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `resources_workspace_name_idx` ON `resources` (`workspace_id`,`type`,"name" collate nocase,`id`);--> statement-breakpoint
CREATE INDEX `resources_workspace_size_idx` ON `resources` (`workspace_id`,`type`,json_extract("attributes", '$.size'),`id`);--> statement-breakpoint
CREATE INDEX `resources_workspace_updated_idx` ON `resources` (`workspace_id`,`type`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `resources_workspace_status_idx` ON `resources` (`workspace_id`,`type`,`status`,`external_id`,`id`);