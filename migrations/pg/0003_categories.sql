ALTER TABLE "labels" ADD COLUMN "is_category" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "labels" SET "is_category" = 1 WHERE "parent_id" IS NULL AND "starts_at" IS NULL AND "id" IN (SELECT "parent_id" FROM "labels" WHERE "parent_id" IS NOT NULL);--> statement-breakpoint
CREATE INDEX "labels_categories_idx" ON "labels" USING btree ("workspace_id","name","id") WHERE "labels"."is_category" = 1;--> statement-breakpoint
-- is_category (top level, no time span, a child) follows every insert, move and delete of a label, cascades
-- included, whichever statement makes it.
CREATE FUNCTION "labels_keep_is_category"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  now_category integer;
BEGIN
  IF TG_OP <> 'DELETE' AND NEW.parent_id IS NOT NULL THEN
    UPDATE labels SET is_category = 1 WHERE id = NEW.parent_id AND is_category = 0 AND parent_id IS NULL AND starts_at IS NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.parent_id IS NOT NULL THEN
    UPDATE labels SET is_category = 0 WHERE id = OLD.parent_id AND is_category = 1 AND NOT EXISTS (SELECT 1 FROM labels c WHERE c.parent_id = OLD.parent_id);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    now_category := CASE WHEN NEW.parent_id IS NULL AND NEW.starts_at IS NULL AND EXISTS (SELECT 1 FROM labels c WHERE c.parent_id = NEW.id) THEN 1 ELSE 0 END;
    UPDATE labels SET is_category = now_category WHERE id = NEW.id AND is_category <> now_category;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "labels_category_child_added" AFTER INSERT ON "labels" FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL) EXECUTE FUNCTION "labels_keep_is_category"();--> statement-breakpoint
CREATE TRIGGER "labels_category_child_removed" AFTER DELETE ON "labels" FOR EACH ROW WHEN (OLD.parent_id IS NOT NULL) EXECUTE FUNCTION "labels_keep_is_category"();--> statement-breakpoint
CREATE TRIGGER "labels_category_moved" AFTER UPDATE OF "parent_id", "starts_at" ON "labels" FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id OR OLD.starts_at IS DISTINCT FROM NEW.starts_at) EXECUTE FUNCTION "labels_keep_is_category"();
