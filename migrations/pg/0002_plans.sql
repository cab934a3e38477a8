DROP INDEX "labels_workspace_name_idx";--> statement-breakpoint
CREATE INDEX "api_keys_workspace_idx" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "labels_workspace_updated_idx" ON "labels" USING btree ("workspace_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "labels_workspace_parent_idx" ON "labels" USING btree ("workspace_id","parent_id","name_key");--> statement-breakpoint
CREATE INDEX "labels_created_by_idx" ON "labels" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "resources_workspace_external_idx" ON "resources" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE INDEX "resources_workspace_name_idx" ON "resources" USING btree ("workspace_id","type",lower("name") nulls first,"id");--> statement-breakpoint
CREATE INDEX "resources_workspace_updated_idx" ON "resources" USING btree ("workspace_id","type","updated_at","id");--> statement-breakpoint
CREATE INDEX "resources_workspace_status_idx" ON "resources" USING btree ("workspace_id","type","status" NULLS FIRST,"external_id","id");--> statement-breakpoint
CREATE INDEX "labels_workspace_name_idx" ON "labels" USING btree ("workspace_id","name_key","id");