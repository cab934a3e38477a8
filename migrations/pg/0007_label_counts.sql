CREATE TABLE "label_counts" (
	"workspace_id" bigint NOT NULL,
	"slot" bigint DEFAULT 0 NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "label_counts_workspace_id_slot_pk" PRIMARY KEY("workspace_id","slot")
);
--> statement-breakpoint
ALTER TABLE "label_counts" ADD CONSTRAINT "label_counts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- label_counts holds each workspace's number of labels, kept here whichever statement changes them: a row made
-- with its workspace (and deleted with it), and each insert or delete statement on labels (cascades included)
-- adding or taking its rows per workspace in one UPDATE (statement-level triggers over the statement's
-- transition table, so a bulk insert or a copy costs one update per workspace, not one per row). A label moved to
-- another workspace (one row at a time; a statement-level trigger with transition tables cannot be limited to
-- an update of workspace_id, and would capture every label update) is counted out of the one and into the other
-- by a row-level trigger whose condition other updates fail without calling it.
-- A workspace's number is the sum of its 16 rows (slots 0-15, made with it). Each transaction adds to or takes
-- from one slot, its transaction id's modulo 16, in every statement: two transactions writing labels of one
-- workspace at once then mostly update different rows, where with one row a workspace the later one waited for the
-- first's commit and was retried (a concurrent update under SERIALIZABLE); a slot's own number may go below zero.
-- Each workspace's slot is updated by its key, never found by a sequential scan (enable_seqscan off in the
-- functions: the table is small enough that the planner would scan it): writes run SERIALIZABLE, and a scan's
-- predicate lock on the whole table would make label writes to different workspaces conflict. Half of each page
-- is left free, so an update finds room for the row's new version beside it (a HOT update, no index entry
-- written that would meet the other writers' predicate locks on the key's index page).
ALTER TABLE "label_counts" SET (fillfactor = 50);--> statement-breakpoint
CREATE FUNCTION "label_counts_add_workspaces"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO label_counts (workspace_id, slot, count) SELECT id, s, 0 FROM added, generate_series(0, 15) s;
  RETURN NULL;
END $$;--> statement-breakpoint
-- One function for both statements: each trigger names its transition table `changed`; an insert adds its rows, a
-- delete takes them away.
CREATE FUNCTION "label_counts_change_labels"() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  ws bigint;
  n bigint;
  s bigint := txid_current() % 16;
  sign bigint := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  FOR ws, n IN SELECT workspace_id, count(*) FROM changed GROUP BY workspace_id LOOP
    UPDATE label_counts SET count = count + sign * n WHERE workspace_id = ws AND slot = s;
  END LOOP;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "label_counts_move_label"() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  s bigint := txid_current() % 16;
BEGIN
  UPDATE label_counts SET count = count + CASE WHEN workspace_id = NEW.workspace_id THEN 1 ELSE -1 END
    WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id) AND slot = s;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "label_counts_workspace_added" AFTER INSERT ON "workspaces" REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "label_counts_add_workspaces"();--> statement-breakpoint
CREATE TRIGGER "label_counts_label_added" AFTER INSERT ON "labels" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "label_counts_change_labels"();--> statement-breakpoint
CREATE TRIGGER "label_counts_label_removed" AFTER DELETE ON "labels" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "label_counts_change_labels"();--> statement-breakpoint
CREATE TRIGGER "label_counts_label_moved" AFTER UPDATE OF "workspace_id" ON "labels" FOR EACH ROW WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id) EXECUTE FUNCTION "label_counts_move_label"();--> statement-breakpoint
-- The workspaces already there, with their labels counted. After the triggers: creating them locked workspaces
-- and labels against other instances' writes until this commits, so no label is missed or counted twice.
INSERT INTO "label_counts" ("workspace_id", "slot", "count")
  SELECT w."id", s, CASE WHEN s = 0 THEN (SELECT count(*) FROM "labels" l WHERE l."workspace_id" = w."id") ELSE 0 END
  FROM "workspaces" w, generate_series(0, 15) s;
