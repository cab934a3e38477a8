ALTER TABLE "assignments" ADD COLUMN "resource_created_at" bigint;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "resource_external_id" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "resource_name" text COLLATE "C";--> statement-breakpoint
-- Filled from each assignment's resource before the columns are required (the counts' triggers watch other columns).
UPDATE "assignments" a SET "resource_created_at" = r."created_at", "resource_external_id" = r."external_id", "resource_name" = r."name"
  FROM "resources" r WHERE r."id" = a."resource_id";--> statement-breakpoint
ALTER TABLE "assignments" ALTER COLUMN "resource_created_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "assignments" ALTER COLUMN "resource_external_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_label_created_idx" ON "assignments" USING btree ("label_id","resource_created_at","resource_id");--> statement-breakpoint
CREATE INDEX "assignments_label_external_idx" ON "assignments" USING btree ("label_id","resource_external_id","resource_id");--> statement-breakpoint
CREATE INDEX "assignments_label_name_idx" ON "assignments" USING btree ("label_id",lower("resource_name") nulls first,"resource_id");
--> statement-breakpoint
-- A resource whose kept keys change (the admin API's upsert renames) has them changed on its assignments, whichever
-- statement changes them (by assignments_resource_idx).
CREATE FUNCTION "assignments_keep_resource_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE assignments SET resource_created_at = NEW.created_at, resource_external_id = NEW.external_id, resource_name = NEW.name
    WHERE resource_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "assignments_resource_keys_changed" AFTER UPDATE OF "created_at", "external_id", "name" ON "resources" FOR EACH ROW
  WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.external_id IS DISTINCT FROM NEW.external_id OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION "assignments_keep_resource_keys"();
