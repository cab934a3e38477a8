CREATE INDEX "resources_workspace_size_idx" ON "resources" USING btree ("workspace_id","type",(CASE jsonb_typeof(attributes::jsonb -> 'size') WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 ELSE 0 END) nulls first,(CASE jsonb_typeof(attributes::jsonb -> 'size') WHEN 'number' THEN (attributes::jsonb ->> 'size')::numeric WHEN 'boolean' THEN CASE WHEN (attributes::jsonb ->> 'size')::boolean THEN 1 ELSE 0 END END) nulls first,(CASE WHEN jsonb_typeof(attributes::jsonb -> 'size') IN ('string', 'object', 'array') THEN attributes::jsonb ->> 'size' END) nulls first,"id");--> statement-breakpoint
CREATE INDEX "resources_workspace_type_idx" ON "resources" USING btree ("workspace_id","type","id");--> statement-breakpoint
-- Built again, so it is the newest index of (workspace_id, type, …): on a table never analyzed every such index
-- looks like one row, and PostgreSQL takes the newest of equal costs, so a resource looked up by its reference
-- walked resources_workspace_status_idx over the whole type (2-15 ms at 25,000 resources of a type).
DROP INDEX "resources_ref_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "resources_ref_uq" ON "resources" USING btree ("workspace_id","type","external_id");
