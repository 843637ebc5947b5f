-- Hash-chained audit trail (issue 10). Every audit row carries sha256(prev_hash || canonical content),
-- computed here, in the inserting transaction, by a BEFORE INSERT trigger, so no code path can skip
-- it. The rows form 64 independent chains so that concurrent transactions do not queue on one head:
-- a transaction takes the first free chain head (FOR UPDATE SKIP LOCKED) and keeps it until it ends.
-- The canonical content is specified in lib/domain/audit-chain.ts (which verification uses to
-- recompute every hash independently of these functions); keep both in step.
CREATE TABLE "audit_chain_anchors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_id" smallint NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	"anchored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_chain_heads" (
	"chain_id" smallint PRIMARY KEY NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"last_hash" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain_id" smallint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" "bytea";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" "bytea";--> statement-breakpoint
CREATE INDEX "audit_chain_anchors_chain_idx" ON "audit_chain_anchors" USING btree ("chain_id","chain_seq");--> statement-breakpoint
-- Chains 0..63 start at sequence 0 with the genesis hash (32 zero bytes).
INSERT INTO audit_chain_heads (chain_id, last_seq, last_hash)
  SELECT c, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea FROM generate_series(0, 63) AS c;
--> statement-breakpoint
-- One field of the canonical content: its UTF-8 byte length in decimal, ':', its bytes; NULL is '-'
-- (a length always starts with a digit, so neither a NULL nor any field content can pass for another).
-- No SET search_path here or below: a SET clause stops PostgreSQL from inlining a SQL function, and
-- these run inside the trigger, whose own search_path is pinned.
CREATE OR REPLACE FUNCTION audit_chain_field(t text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t IS NULL THEN '\x2d'::bytea
    ELSE convert_to(octet_length(convert_to(t, 'UTF8'))::text || ':', 'UTF8') || convert_to(t, 'UTF8') END
$$;
--> statement-breakpoint
-- The canonical content of a row, version 1: the tag 'audit-v1', then these fields in this order, as
-- text: id, chain_id, chain_seq, occurred_at in UTC with microseconds (2026-12-04T01:02:03.000456Z),
-- actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff (jsonb's own
-- text form, which is canonical: keys sorted, one spacing), request_id, ip, user_agent, outcome.
CREATE OR REPLACE FUNCTION audit_event_canonical(e audit_events) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT convert_to('audit-v1', 'UTF8')
    || audit_chain_field(e.id::text) || audit_chain_field(e.chain_id::text) || audit_chain_field(e.chain_seq::text)
    || audit_chain_field(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || audit_chain_field(e.actor_type::text) || audit_chain_field(e.actor_id::text) || audit_chain_field(e.actor_role)
    || audit_chain_field(e.action) || audit_chain_field(e.entity_type) || audit_chain_field(e.entity_id)
    || audit_chain_field(e.company_id::text) || audit_chain_field(e.diff::text) || audit_chain_field(e.request_id)
    || audit_chain_field(e.ip) || audit_chain_field(e.user_agent) || audit_chain_field(e.outcome::text)
$$;
--> statement-breakpoint
-- Rows written before this migration become the start of chain 0, in id order (deterministic), so
-- the trail is covered from its first row. The append-only trigger is lifted for this one update.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete;
--> statement-breakpoint
DO $$
DECLARE
  r audit_events;
  seq bigint := 0;
  prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  h bytea;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
    seq := seq + 1;
    r.chain_id := 0;
    r.chain_seq := seq;
    h := sha256(prev || audit_event_canonical(r));
    UPDATE audit_events SET chain_id = 0, chain_seq = seq, prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
  END LOOP;
  UPDATE audit_chain_heads SET last_seq = seq, last_hash = prev WHERE chain_id = 0;
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete;
--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "chain_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "chain_seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_chain_seq_idx" ON "audit_events" USING btree ("chain_id","chain_seq");
--> statement-breakpoint
-- The chaining trigger. SECURITY DEFINER: it runs with the rights of its owner (the migration
-- owner), so the app's role needs no rights on audit_chain_heads. The chain a transaction holds is
-- remembered in a transaction-local setting; the head row is locked again on every row anyway
-- (at no wait: the transaction already holds it), so a forged setting can only make an insert wait,
-- never break or fork a chain. Whatever the insert says about the chain columns is overwritten.
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  held text := current_setting('audit_chain.held', true);
  xid text := txid_current()::text;
  c smallint;
  s bigint;
  h bytea;
  start smallint;
BEGIN
  IF held IS NOT NULL AND held <> '' AND split_part(held, '/', 1) = xid THEN
    c := split_part(held, '/', 2)::smallint;
    SELECT last_seq, last_hash INTO s, h FROM audit_chain_heads WHERE chain_id = c FOR UPDATE;
  END IF;
  IF s IS NULL THEN
    -- Each connection starts looking at its own chain, and skips heads other transactions hold.
    start := pg_backend_pid() % 64;
    SELECT chain_id, last_seq, last_hash INTO c, s, h FROM audit_chain_heads
      WHERE chain_id >= start ORDER BY chain_id LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      SELECT chain_id, last_seq, last_hash INTO c, s, h FROM audit_chain_heads
        WHERE chain_id < start ORDER BY chain_id LIMIT 1 FOR UPDATE SKIP LOCKED;
    END IF;
    IF NOT FOUND THEN
      -- Every chain is busy: wait for this connection's own.
      SELECT chain_id, last_seq, last_hash INTO c, s, h FROM audit_chain_heads WHERE chain_id = start FOR UPDATE;
    END IF;
    PERFORM set_config('audit_chain.held', xid || '/' || c::text, true);
  END IF;
  NEW.chain_id := c;
  NEW.chain_seq := s + 1;
  NEW.prev_hash := h;
  NEW.hash := sha256(h || audit_event_canonical(NEW));
  UPDATE audit_chain_heads SET last_seq = NEW.chain_seq, last_hash = NEW.hash WHERE chain_id = c;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
-- Fires in session_replication_role = replica too (only DISABLE TRIGGER, by the owner, stops it).
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_chain;
--> statement-breakpoint
-- Read access for verification without rights on the bookkeeping tables (the app's role may call these).
CREATE OR REPLACE FUNCTION audit_chain_state() RETURNS TABLE (chain_id smallint, last_seq bigint, last_hash bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT h.chain_id, h.last_seq, h.last_hash FROM audit_chain_heads h ORDER BY h.chain_id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_chain_anchor_list(c smallint) RETURNS TABLE (chain_seq bigint, hash bytea, anchored_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT a.chain_seq, a.hash, min(a.anchored_at) FROM audit_chain_anchors a WHERE a.chain_id = c
  GROUP BY a.chain_seq, a.hash ORDER BY a.chain_seq, a.hash
$$;
--> statement-breakpoint
-- Records anchors for chain positions a verification saw. Only positions that exist with exactly
-- that hash are recorded, so a caller can anchor what is there, never invent a position.
CREATE OR REPLACE FUNCTION audit_chain_anchor(heads jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  n integer;
BEGIN
  INSERT INTO audit_chain_anchors (chain_id, chain_seq, hash)
    SELECT e.chain_id, e.chain_seq, e.hash
    FROM jsonb_to_recordset(heads) AS x(chain_id smallint, chain_seq bigint, hash text)
    JOIN audit_events e ON e.chain_id = x.chain_id AND e.chain_seq = x.chain_seq AND e.hash = decode(x.hash, 'hex')
    WHERE NOT EXISTS (SELECT 1 FROM audit_chain_anchors a WHERE a.chain_id = e.chain_id AND a.chain_seq = e.chain_seq AND a.hash = e.hash);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END;
$$;
