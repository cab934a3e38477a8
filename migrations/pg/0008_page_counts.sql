CREATE TABLE "assignment_counts" (
	"label_id" bigint NOT NULL,
	"resource_type" text COLLATE "C" NOT NULL,
	"slot" bigint DEFAULT 0 NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "assignment_counts_label_id_resource_type_slot_pk" PRIMARY KEY("label_id","resource_type","slot")
);
--> statement-breakpoint
CREATE TABLE "resource_counts" (
	"workspace_id" bigint NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"slot" bigint DEFAULT 0 NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "resource_counts_workspace_id_type_slot_pk" PRIMARY KEY("workspace_id","type","slot")
);
--> statement-breakpoint
ALTER TABLE "assignment_counts" ADD CONSTRAINT "assignment_counts_label_id_labels_id_fk" FOREIGN KEY ("label_id") REFERENCES "public"."labels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_counts" ADD CONSTRAINT "resource_counts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- resource_counts holds each workspace's number of resources of each type, assignment_counts each label's number
-- of assignments (resources) of each type, kept here whichever statement changes them: each insert or delete
-- statement on resources or assignments (cascades of a workspace, a label, a resource included) adds or takes its
-- rows per key (statement-level triggers over the statement's transition table, so a bulk insert, a reset or a
-- copy costs one more statement, a delete one per key, not one per row), and a resource or an assignment whose
-- key columns change (one row at a time, by a row-level trigger whose condition other updates fail) is counted out
-- of the one key and into the other.
-- A key's number is the sum of its rows, at most 16 (slots 0-15): each transaction adds to or takes from one slot,
-- its transaction id's modulo 16, as in label_counts, so concurrent assigns to one popular label (or resources
-- pushed into one type) mostly change different rows. Keys are not known ahead (any type, any label), so a slot's
-- row is made by the first write that counts into it: an upsert (INSERT ... ON CONFLICT DO UPDATE), whose check
-- of the key reads with a dirty snapshot and so takes no predicate lock (an UPDATE's read of the key would lock
-- the index page under SERIALIZABLE, and the new keys other writers insert there would conflict with it). A
-- delete counts out only while the key's owner (workspace, label) is there: in a cascade it is gone, its rows with
-- it, and a row made again for it would break its foreign key. Half of each page is left free for HOT updates.
ALTER TABLE "resource_counts" SET (fillfactor = 50);--> statement-breakpoint
ALTER TABLE "assignment_counts" SET (fillfactor = 50);--> statement-breakpoint
-- An insert adds its rows in one statement: grouped by key, each key's slot upserted (no loop, no setting changed:
-- it reads only the transition table, and the upsert's check of the key is by the primary key's index whatever the
-- planner thinks; a PL/pgSQL loop over the keys with a changed setting cost an assign about 30 us more per trigger).
CREATE FUNCTION "resource_counts_add_resources"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resource_counts AS c (workspace_id, type, slot, count)
    SELECT workspace_id, type, txid_current() % 16, count(*) FROM added GROUP BY workspace_id, type
    ON CONFLICT (workspace_id, type, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END $$;--> statement-breakpoint
-- A delete takes its rows away key by key, each only while the key's workspace is there (found by its key:
-- sequential scans off, as in label_counts, so no predicate lock covers the whole table).
CREATE FUNCTION "resource_counts_remove_resources"() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  ws bigint;
  t text;
  n bigint;
  s bigint := txid_current() % 16;
BEGIN
  FOR ws, t, n IN SELECT workspace_id, type, count(*) FROM removed GROUP BY workspace_id, type LOOP
    IF EXISTS (SELECT 1 FROM workspaces w WHERE w.id = ws) THEN
      INSERT INTO resource_counts AS c (workspace_id, type, slot, count) VALUES (ws, t, s, -n)
        ON CONFLICT (workspace_id, type, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "resource_counts_move_resource"() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  s bigint := txid_current() % 16;
BEGIN
  INSERT INTO resource_counts AS c (workspace_id, type, slot, count) VALUES (OLD.workspace_id, OLD.type, s, -1), (NEW.workspace_id, NEW.type, s, 1)
    ON CONFLICT (workspace_id, type, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "assignment_counts_add_assignments"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO assignment_counts AS c (label_id, resource_type, slot, count)
    SELECT label_id, resource_type, txid_current() % 16, count(*) FROM added GROUP BY label_id, resource_type
    ON CONFLICT (label_id, resource_type, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "assignment_counts_remove_assignments"() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  l bigint;
  t text;
  n bigint;
  s bigint := txid_current() % 16;
BEGIN
  FOR l, t, n IN SELECT label_id, resource_type, count(*) FROM removed GROUP BY label_id, resource_type LOOP
    IF EXISTS (SELECT 1 FROM labels x WHERE x.id = l) THEN
      INSERT INTO assignment_counts AS c (label_id, resource_type, slot, count) VALUES (l, t, s, -n)
        ON CONFLICT (label_id, resource_type, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "assignment_counts_move_assignment"() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  s bigint := txid_current() % 16;
BEGIN
  INSERT INTO assignment_counts AS c (label_id, resource_type, slot, count) VALUES (OLD.label_id, OLD.resource_type, s, -1), (NEW.label_id, NEW.resource_type, s, 1)
    ON CONFLICT (label_id, resource_type, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "resource_counts_resource_added" AFTER INSERT ON "resources" REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "resource_counts_add_resources"();--> statement-breakpoint
CREATE TRIGGER "resource_counts_resource_removed" AFTER DELETE ON "resources" REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "resource_counts_remove_resources"();--> statement-breakpoint
CREATE TRIGGER "resource_counts_resource_moved" AFTER UPDATE OF "workspace_id", "type" ON "resources" FOR EACH ROW
  WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id OR OLD.type IS DISTINCT FROM NEW.type) EXECUTE FUNCTION "resource_counts_move_resource"();--> statement-breakpoint
CREATE TRIGGER "assignment_counts_assignment_added" AFTER INSERT ON "assignments" REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_add_assignments"();--> statement-breakpoint
CREATE TRIGGER "assignment_counts_assignment_removed" AFTER DELETE ON "assignments" REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "assignment_counts_remove_assignments"();--> statement-breakpoint
CREATE TRIGGER "assignment_counts_assignment_moved" AFTER UPDATE OF "label_id", "resource_type" ON "assignments" FOR EACH ROW
  WHEN (OLD.label_id IS DISTINCT FROM NEW.label_id OR OLD.resource_type IS DISTINCT FROM NEW.resource_type) EXECUTE FUNCTION "assignment_counts_move_assignment"();--> statement-breakpoint
-- The resources and assignments already there, counted (slot 0). After the triggers: creating them locked
-- resources and assignments against other instances' writes until this commits, so none is missed or counted twice.
INSERT INTO "resource_counts" ("workspace_id", "type", "slot", "count")
  SELECT "workspace_id", "type", 0, count(*) FROM "resources" GROUP BY "workspace_id", "type";--> statement-breakpoint
INSERT INTO "assignment_counts" ("label_id", "resource_type", "slot", "count")
  SELECT "label_id", "resource_type", 0, count(*) FROM "assignments" GROUP BY "label_id", "resource_type";
