CREATE TABLE "analytics_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"seller_time_zone" text NOT NULL,
	CONSTRAINT "analytics_settings_one_row" CHECK ("analytics_settings"."id")
);
--> statement-breakpoint
CREATE TABLE "booked_company_months" (
	"month" date NOT NULL,
	"currency" char(3) NOT NULL,
	"company_id" uuid NOT NULL,
	"orders" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "booked_company_months_pkey" PRIMARY KEY("month","currency","company_id")
);
--> statement-breakpoint
CREATE TABLE "booked_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"quotation_id" uuid,
	"company_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"month" date NOT NULL,
	"amount_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booked_product_months" (
	"month" date NOT NULL,
	"currency" char(3) NOT NULL,
	"product_id" uuid NOT NULL,
	"orders" integer NOT NULL,
	"quantity" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "booked_product_months_pkey" PRIMARY KEY("month","currency","product_id")
);
--> statement-breakpoint
CREATE TABLE "order_cycle_times" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"customer_at" timestamp with time zone,
	"sales_at" timestamp with time zone,
	"finance_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "booked_company_months" ADD CONSTRAINT "booked_company_months_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booked_product_months" ADD CONSTRAINT "booked_product_months_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booked_orders_quotation_idx" ON "booked_orders" USING btree ("quotation_id");--> statement-breakpoint
CREATE INDEX "order_cycle_times_approved_idx" ON "order_cycle_times" USING btree ("approved_at");--> statement-breakpoint
-- Sales rollups: booked (accepted, not rejected or cancelled) per seller-calendar month of accepted_at,
-- currency and company (booked_company_months) or product (booked_product_months, from the lines of
-- the order's latest quotation, incl. tax). booked_orders records what each booked order put in: a
-- change of the order takes exactly that out (its quotation's lines are immutable) and puts the new
-- state in, in the same transaction. The order row is locked by the change that fires the trigger,
-- so the changes of one order are serialised; the month rows are upserted in key order (no deadlock
-- between two orders of the same products) and dropped when no order is left in them.
-- SECURITY DEFINER, owned by the migration owner: the app role only reads the tables.
-- The seller's time zone dates the months; the migrate step writes it from SELLER_TIME_ZONE
-- (sales_rollups_set_time_zone). The row below is the app's default until then.
INSERT INTO "analytics_settings" ("id", "seller_time_zone") VALUES (true, 'Europe/Berlin');--> statement-breakpoint
CREATE OR REPLACE FUNCTION booked_order_refresh(p_order uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  zone text;
  was booked_orders%ROWTYPE;
  now_ booked_orders%ROWTYPE;
BEGIN
  SELECT seller_time_zone INTO STRICT zone FROM analytics_settings;
  SELECT * INTO was FROM booked_orders WHERE order_id = p_order FOR UPDATE;
  SELECT o.id, (SELECT q.id FROM quotations q WHERE q.order_id = o.id ORDER BY q.version DESC LIMIT 1), o.company_id, o.currency,
      date_trunc('month', o.accepted_at AT TIME ZONE zone)::date, coalesce(o.total_minor, 0)
    INTO now_ FROM orders o
    WHERE o.id = p_order AND o.accepted_at IS NOT NULL AND o.status NOT IN ('rejected', 'cancelled');
  IF was.order_id IS NOT DISTINCT FROM now_.order_id AND was.quotation_id IS NOT DISTINCT FROM now_.quotation_id
      AND was.company_id IS NOT DISTINCT FROM now_.company_id AND was.currency IS NOT DISTINCT FROM now_.currency
      AND was.month IS NOT DISTINCT FROM now_.month AND was.amount_minor IS NOT DISTINCT FROM now_.amount_minor THEN
    RETURN;
  END IF;
  IF was.order_id IS NOT NULL THEN
    UPDATE booked_company_months SET orders = orders - 1, amount_minor = amount_minor - was.amount_minor
      WHERE month = was.month AND currency = was.currency AND company_id = was.company_id;
    DELETE FROM booked_company_months WHERE month = was.month AND currency = was.currency AND company_id = was.company_id AND orders = 0;
    -- An upsert of the negated lines rather than UPDATE ... FROM: it locks the rows in product order.
    INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor)
      SELECT was.month, was.currency, product_id, -count(*)::int, -sum(quantity), -sum(total_minor)
      FROM quotation_lines WHERE quotation_id = was.quotation_id GROUP BY product_id ORDER BY product_id
      ON CONFLICT (month, currency, product_id) DO UPDATE
        SET orders = booked_product_months.orders + excluded.orders, quantity = booked_product_months.quantity + excluded.quantity,
          amount_minor = booked_product_months.amount_minor + excluded.amount_minor;
    DELETE FROM booked_product_months WHERE month = was.month AND currency = was.currency AND orders = 0
      AND product_id IN (SELECT product_id FROM quotation_lines WHERE quotation_id = was.quotation_id);
    DELETE FROM booked_orders WHERE order_id = p_order;
  END IF;
  IF now_.order_id IS NOT NULL THEN
    INSERT INTO booked_orders VALUES (now_.*);
    INSERT INTO booked_company_months (month, currency, company_id, orders, amount_minor)
      VALUES (now_.month, now_.currency, now_.company_id, 1, now_.amount_minor)
      ON CONFLICT (month, currency, company_id) DO UPDATE
        SET orders = booked_company_months.orders + 1, amount_minor = booked_company_months.amount_minor + excluded.amount_minor;
    INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor)
      SELECT now_.month, now_.currency, product_id, count(*)::int, sum(quantity), sum(total_minor)
      FROM quotation_lines WHERE quotation_id = now_.quotation_id GROUP BY product_id ORDER BY product_id
      ON CONFLICT (month, currency, product_id) DO UPDATE
        SET orders = booked_product_months.orders + excluded.orders, quantity = booked_product_months.quantity + excluded.quantity,
          amount_minor = booked_product_months.amount_minor + excluded.amount_minor;
  END IF;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION booked_orders_follow_order() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM booked_order_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- A new quotation version updates orders.total_minor (migration 0012) before its lines exist: when the
-- order is booked at that moment the quotation is recorded with no lines, and each line adds itself here.
CREATE OR REPLACE FUNCTION booked_orders_follow_quotation_line() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  b booked_orders%ROWTYPE;
BEGIN
  SELECT * INTO b FROM booked_orders WHERE quotation_id = NEW.quotation_id FOR UPDATE;
  IF FOUND THEN
    INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor)
      VALUES (b.month, b.currency, NEW.product_id, 1, NEW.quantity, NEW.total_minor)
      ON CONFLICT (month, currency, product_id) DO UPDATE
        SET orders = booked_product_months.orders + 1, quantity = booked_product_months.quantity + excluded.quantity,
          amount_minor = booked_product_months.amount_minor + excluded.amount_minor;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER booked_orders_order AFTER INSERT OR UPDATE OF accepted_at, status, total_minor, currency, company_id OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION booked_orders_follow_order();--> statement-breakpoint
CREATE TRIGGER booked_orders_quotation_line AFTER INSERT ON quotation_lines FOR EACH ROW EXECUTE FUNCTION booked_orders_follow_quotation_line();--> statement-breakpoint
-- order_cycle_times: per finally approved order, the instants its approval cycle time is computed from,
-- recomputed from the order and its decisions (never a delta) whenever one of them changes.
CREATE OR REPLACE FUNCTION order_cycle_time_refresh(p_order uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  DELETE FROM order_cycle_times WHERE order_id = p_order;
  INSERT INTO order_cycle_times (order_id, approved_at, submitted_at, accepted_at, customer_at, sales_at, finance_at)
    SELECT o.id, o.approved_at, o.submitted_at, o.accepted_at, d.c, d.s, d.f
    FROM orders o LEFT JOIN LATERAL (SELECT
        max(x.decided_at) FILTER (WHERE x.step = 'customer') AS c,
        max(x.decided_at) FILTER (WHERE x.step = 'sales') AS s,
        max(x.decided_at) FILTER (WHERE x.step = 'finance') AS f
      FROM order_approvals x WHERE x.order_id = o.id) d ON true
    WHERE o.id = p_order AND o.approved_at IS NOT NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION order_cycle_times_follow_order() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM order_cycle_times WHERE order_id = OLD.id;
  ELSIF NEW.approved_at IS NOT NULL OR (TG_OP = 'UPDATE' AND OLD.approved_at IS NOT NULL) THEN
    PERFORM order_cycle_time_refresh(NEW.id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION order_cycle_times_follow_approval() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM order_cycle_time_refresh(OLD.order_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.order_id <> OLD.order_id) THEN
    PERFORM order_cycle_time_refresh(NEW.order_id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER order_cycle_times_order AFTER INSERT OR UPDATE OF approved_at, submitted_at, accepted_at OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION order_cycle_times_follow_order();--> statement-breakpoint
CREATE TRIGGER order_cycle_times_approval AFTER INSERT OR UPDATE OR DELETE ON order_approvals FOR EACH ROW EXECUTE FUNCTION order_cycle_times_follow_approval();--> statement-breakpoint
-- Rebuilds the rollups (booked months and cycle times) from the documents, set-wise: the backfill below, a change of the seller's time
-- zone, bulk loads that ran with triggers off (the analytics bench generator).
CREATE OR REPLACE FUNCTION sales_rollups_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  zone text;
BEGIN
  LOCK TABLE booked_orders, booked_company_months, booked_product_months, order_cycle_times IN EXCLUSIVE MODE;
  SELECT seller_time_zone INTO STRICT zone FROM analytics_settings;
  DELETE FROM booked_product_months;
  DELETE FROM booked_company_months;
  DELETE FROM booked_orders;
  INSERT INTO booked_orders (order_id, quotation_id, company_id, currency, month, amount_minor)
    SELECT o.id, lq.id, o.company_id, o.currency, date_trunc('month', o.accepted_at AT TIME ZONE zone)::date, coalesce(o.total_minor, 0)
    FROM orders o LEFT JOIN LATERAL (SELECT q.id FROM quotations q WHERE q.order_id = o.id ORDER BY q.version DESC LIMIT 1) lq ON true
    WHERE o.accepted_at IS NOT NULL AND o.status NOT IN ('rejected', 'cancelled');
  INSERT INTO booked_company_months (month, currency, company_id, orders, amount_minor)
    SELECT month, currency, company_id, count(*)::int, sum(amount_minor) FROM booked_orders GROUP BY month, currency, company_id;
  INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor)
    SELECT b.month, b.currency, l.product_id, count(*)::int, sum(l.quantity), sum(l.total_minor)
    FROM booked_orders b JOIN quotation_lines l ON l.quotation_id = b.quotation_id
    GROUP BY b.month, b.currency, l.product_id;
  DELETE FROM order_cycle_times;
  INSERT INTO order_cycle_times (order_id, approved_at, submitted_at, accepted_at, customer_at, sales_at, finance_at)
    SELECT o.id, o.approved_at, o.submitted_at, o.accepted_at, d.c, d.s, d.f
    FROM orders o LEFT JOIN (SELECT x.order_id,
        max(x.decided_at) FILTER (WHERE x.step = 'customer') AS c,
        max(x.decided_at) FILTER (WHERE x.step = 'sales') AS s,
        max(x.decided_at) FILTER (WHERE x.step = 'finance') AS f
      FROM order_approvals x GROUP BY x.order_id) d ON d.order_id = o.id
    WHERE o.approved_at IS NOT NULL;
END;
$$;--> statement-breakpoint
-- Called by the migrate step with SELLER_TIME_ZONE: rebuilds the rollups when the zone changed.
CREATE OR REPLACE FUNCTION sales_rollups_set_time_zone(p_zone text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM now() AT TIME ZONE p_zone; -- raises on a zone PostgreSQL does not know
  IF (SELECT seller_time_zone FROM analytics_settings FOR UPDATE) = p_zone THEN
    RETURN false;
  END IF;
  UPDATE analytics_settings SET seller_time_zone = p_zone;
  PERFORM sales_rollups_rebuild();
  RETURN true;
END;
$$;--> statement-breakpoint
SELECT sales_rollups_rebuild();
--> statement-breakpoint
-- Only the owner (the migrate step, the bench loader, the history rewrite) runs these; the triggers run
-- them as the owner too. The app role cannot move the rollups' zone or lock them for a rebuild.
REVOKE EXECUTE ON FUNCTION sales_rollups_set_time_zone(text), sales_rollups_rebuild(), booked_order_refresh(uuid), order_cycle_time_refresh(uuid) FROM PUBLIC;
