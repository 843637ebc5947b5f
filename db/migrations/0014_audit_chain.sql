-- Hash-chained audit trail (issue 10). Every audit row carries sha256(prev_hash || canonical content),
-- computed here, in the inserting transaction, by a BEFORE INSERT trigger, so no code path can skip
-- it. The rows form 64 independent chains, so concurrent transactions do not queue on one chain head:
-- a transaction takes the first free chain (a transaction-scoped advisory lock, tried from a start
-- that differs per connection) and keeps it until it ends. A chain's head is its last row (found
-- through the unique index on (chain_id, chain_seq)), so appending writes nothing but the row itself.
-- The canonical content is specified in lib/domain/audit-chain.ts, which verification uses to
-- recompute every hash independently of these functions; keep both in step.
DO $$
BEGIN
  -- Lengths in the canonical content are UTF-8 byte counts (octet_length of the server encoding).
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'the audit hash chain needs a UTF8 database (this one is %)', current_setting('server_encoding');
  END IF;
END;
$$;
--> statement-breakpoint
CREATE TABLE "audit_chain_anchors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_id" smallint NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	"anchored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_chain_anchors_chain_idx" ON "audit_chain_anchors" USING btree ("chain_id","chain_seq");--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain_id" smallint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" "bytea";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" "bytea";--> statement-breakpoint
-- The number of chains (0 .. n-1), for the trigger and for verification.
CREATE OR REPLACE FUNCTION audit_chain_count() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 64 $$;
--> statement-breakpoint
-- The canonical content of a row, version 1: the bytes of 'audit-v1', then each field below in this
-- order, as its UTF-8 byte length in decimal, ':', and its text; a NULL field is '-' (a length starts
-- with a digit, so no content and no NULL can pass for another split of the fields). Text forms:
-- numbers in decimal, occurred_at in UTC with microseconds (2026-12-04T01:02:03.000456Z), uuids and
-- enums as PostgreSQL prints them, diff as jsonb prints it (canonical: keys sorted, fixed spacing).
-- No SET search_path: a SET clause would stop PostgreSQL from inlining it into the trigger (measured
-- 3× slower per row); the trigger that calls it pins its own search_path.
CREATE OR REPLACE FUNCTION audit_chain_content(id bigint, chain_id integer, chain_seq bigint, occurred_at timestamptz, actor_type text, actor_id uuid, actor_role text, action text, entity_type text, entity_id text, company_id uuid, diff jsonb, request_id text, ip text, user_agent text, outcome text) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT convert_to('audit-v1'
    || coalesce(octet_length(id::text)::text || ':' || id::text, '-')
    || coalesce(octet_length(chain_id::text)::text || ':' || chain_id::text, '-')
    || coalesce(octet_length(chain_seq::text)::text || ':' || chain_seq::text, '-')
    || coalesce(octet_length(to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text || ':' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '-')
    || coalesce(octet_length(actor_type)::text || ':' || actor_type, '-')
    || coalesce(octet_length(actor_id::text)::text || ':' || actor_id::text, '-')
    || coalesce(octet_length(actor_role)::text || ':' || actor_role, '-')
    || coalesce(octet_length(action)::text || ':' || action, '-')
    || coalesce(octet_length(entity_type)::text || ':' || entity_type, '-')
    || coalesce(octet_length(entity_id)::text || ':' || entity_id, '-')
    || coalesce(octet_length(company_id::text)::text || ':' || company_id::text, '-')
    || coalesce(octet_length(diff::text)::text || ':' || diff::text, '-')
    || coalesce(octet_length(request_id)::text || ':' || request_id, '-')
    || coalesce(octet_length(ip)::text || ':' || ip, '-')
    || coalesce(octet_length(user_agent)::text || ':' || user_agent, '-')
    || coalesce(octet_length(outcome)::text || ':' || outcome, '-'), 'UTF8')
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
    h := sha256(prev || audit_chain_content(r.id, r.chain_id, r.chain_seq, r.occurred_at, r.actor_type::text, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.company_id, r.diff, r.request_id, r.ip, r.user_agent, r.outcome::text));
    UPDATE audit_events SET chain_id = 0, chain_seq = seq, prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
  END LOOP;
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
-- The chaining trigger. SECURITY DEFINER, owned by the migration owner: it reads the chain's last row
-- with the owner's rights, whatever the inserting role may read. Whatever the insert says about the
-- chain columns is overwritten. The chain a transaction holds is remembered in a transaction-local
-- setting; its advisory lock is taken again on every row anyway (at once: the transaction holds it),
-- so a forged setting can only make an insert wait for that chain, never fork or break it. Two
-- appends to one chain can never interleave: each holds the chain's lock until it commits or rolls
-- back, and reads the chain's last row after taking it (READ COMMITTED sees every earlier holder's
-- committed rows; in REPEATABLE READ an older snapshot would compute a taken seq, and the unique index
-- refuses the insert rather than fork the chain).
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  -- The advisory lock space of the chains (two-key form; 'AUDI' in ASCII): no other lock uses it.
  lock_space constant integer := 1096107081;
  n constant integer := audit_chain_count();
  held text := current_setting('audit_chain.held', true);
  xid text := txid_current()::text;
  c integer;
  s bigint;
  h bytea;
  start integer;
BEGIN
  IF held IS NOT NULL AND held <> '' AND split_part(held, '/', 1) = xid THEN
    c := split_part(held, '/', 2)::integer;
    PERFORM pg_advisory_xact_lock(lock_space, c);
  ELSE
    -- Each connection starts looking at its own chain and skips chains other transactions hold.
    start := pg_backend_pid() % n;
    FOR i IN 0 .. n - 1 LOOP
      IF pg_try_advisory_xact_lock(lock_space, (start + i) % n) THEN
        c := (start + i) % n;
        EXIT;
      END IF;
    END LOOP;
    IF c IS NULL THEN
      -- Every chain is busy: wait for this connection's own.
      c := start;
      PERFORM pg_advisory_xact_lock(lock_space, c);
    END IF;
    PERFORM set_config('audit_chain.held', xid || '/' || c::text, true);
  END IF;
  SELECT e.chain_seq, e.hash INTO s, h FROM audit_events e WHERE e.chain_id = c ORDER BY e.chain_seq DESC LIMIT 1;
  IF NOT FOUND THEN
    s := 0;
    h := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  END IF;
  NEW.chain_id := c;
  NEW.chain_seq := s + 1;
  NEW.prev_hash := h;
  NEW.hash := sha256(h || audit_chain_content(NEW.id, NEW.chain_id, NEW.chain_seq, NEW.occurred_at, NEW.actor_type::text, NEW.actor_id, NEW.actor_role, NEW.action, NEW.entity_type, NEW.entity_id, NEW.company_id, NEW.diff, NEW.request_id, NEW.ip, NEW.user_agent, NEW.outcome::text));
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
-- Fires in session_replication_role = replica too (only DISABLE TRIGGER, by the owner, stops it).
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_chain;
--> statement-breakpoint
-- Verification reads anchors through this, so a role without rights on audit_chain_anchors (the
-- app's) can verify too.
CREATE OR REPLACE FUNCTION audit_chain_anchor_list(c integer) RETURNS TABLE (chain_seq bigint, hash bytea, anchored_at timestamptz)
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
