ALTER TABLE "labels" ADD COLUMN "has_children" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "labels" SET "has_children" = 1 WHERE "id" IN (SELECT "parent_id" FROM "labels" WHERE "parent_id" IS NOT NULL);--> statement-breakpoint
CREATE INDEX "labels_categories_idx" ON "labels" USING btree ("workspace_id","name","id") WHERE "labels"."parent_id" is null and "labels"."starts_at" is null and "labels"."has_children" = 1;--> statement-breakpoint
-- has_children follows every insert, move and delete of a child (cascades included), whichever statement does it.
CREATE FUNCTION "labels_keep_has_children"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' AND NEW.parent_id IS NOT NULL THEN
    UPDATE labels SET has_children = 1 WHERE id = NEW.parent_id AND has_children = 0;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.parent_id IS NOT NULL THEN
    UPDATE labels SET has_children = 0 WHERE id = OLD.parent_id AND has_children = 1 AND NOT EXISTS (SELECT 1 FROM labels c WHERE c.parent_id = OLD.parent_id);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "labels_child_added" AFTER INSERT ON "labels" FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL) EXECUTE FUNCTION "labels_keep_has_children"();--> statement-breakpoint
CREATE TRIGGER "labels_child_moved" AFTER UPDATE OF "parent_id" ON "labels" FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION "labels_keep_has_children"();--> statement-breakpoint
CREATE TRIGGER "labels_child_removed" AFTER DELETE ON "labels" FOR EACH ROW WHEN (OLD.parent_id IS NOT NULL) EXECUTE FUNCTION "labels_keep_has_children"();
