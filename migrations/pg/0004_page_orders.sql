CREATE INDEX "resources_workspace_type_idx" ON "resources" USING btree ("workspace_id","type","id");--> statement-breakpoint
-- Built again, so it is the newest index of (workspace_id, type, …): on a table never analyzed every such index
-- looks like one row, and PostgreSQL takes the newest of equal costs, so a resource looked up by its reference
-- walked resources_workspace_status_idx over the whole type (2-15 ms at 25,000 resources of a type).
DROP INDEX "resources_ref_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "resources_ref_uq" ON "resources" USING btree ("workspace_id","type","external_id");
