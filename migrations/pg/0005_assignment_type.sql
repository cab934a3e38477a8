ALTER TABLE "assignments" ADD COLUMN "resource_type" text COLLATE "C";--> statement-breakpoint
-- Filled from each assignment's resource before the column is required.
UPDATE "assignments" a SET "resource_type" = r."type" FROM "resources" r WHERE r."id" = a."resource_id";--> statement-breakpoint
ALTER TABLE "assignments" ALTER COLUMN "resource_type" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_label_type_idx" ON "assignments" USING btree ("label_id","resource_type","resource_id");
