CREATE TABLE "booked_product_windows" (
	"end_month" date NOT NULL,
	"currency" char(3) NOT NULL,
	"product_id" uuid NOT NULL,
	"orders" integer NOT NULL,
	"quantity" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "booked_product_windows_pkey" PRIMARY KEY("end_month","currency","product_id")
);
--> statement-breakpoint
DROP INDEX "order_cycle_times_approved_idx";--> statement-breakpoint
ALTER TABLE "order_cycle_times" ADD COLUMN "customer_seconds" double precision GENERATED ALWAYS AS (extract(epoch from (customer_at - accepted_at))::float8) STORED;--> statement-breakpoint
ALTER TABLE "order_cycle_times" ADD COLUMN "sales_seconds" double precision GENERATED ALWAYS AS (extract(epoch from (sales_at - coalesce(customer_at, accepted_at)))::float8) STORED;--> statement-breakpoint
ALTER TABLE "order_cycle_times" ADD COLUMN "finance_seconds" double precision GENERATED ALWAYS AS (extract(epoch from (finance_at - case when sales_at < finance_at then sales_at else coalesce(customer_at, accepted_at) end))::float8) STORED;--> statement-breakpoint
ALTER TABLE "order_cycle_times" ADD COLUMN "total_seconds" double precision GENERATED ALWAYS AS (extract(epoch from (approved_at - submitted_at))::float8) STORED;--> statement-breakpoint
ALTER TABLE "booked_product_windows" ADD CONSTRAINT "booked_product_windows_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booked_product_windows_top_idx" ON "booked_product_windows" USING btree ("end_month","currency","amount_minor" DESC NULLS LAST,"product_id");--> statement-breakpoint
CREATE INDEX "order_cycle_times_approved_idx" ON "order_cycle_times" USING btree ("approved_at","submitted_at","customer_at","sales_at","finance_at","customer_seconds","sales_seconds","finance_seconds","total_seconds");
--> statement-breakpoint
-- booked_product_windows: each change of a booked_product_months row adds its difference to the three
-- windows that contain its month (ending in it and in the two months after), in (product, month) order
-- like every writer of these rows, and drops a window row no booked order is left in. A bulk rebuild
-- (sales_rollups_rebuild) disables this trigger inside its transaction (only the owner can) and rebuilds
-- the windows set-wise.
CREATE OR REPLACE FUNCTION booked_product_windows_follow_month() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  k record;
BEGIN
  FOR k IN
    SELECT d.month, d.currency, d.product_id, sum(d.orders)::int AS orders, sum(d.quantity) AS quantity, sum(d.amount_minor) AS amount_minor
    FROM (
      SELECT NEW.month, NEW.currency, NEW.product_id, NEW.orders, NEW.quantity, NEW.amount_minor WHERE TG_OP <> 'DELETE'
      UNION ALL
      SELECT OLD.month, OLD.currency, OLD.product_id, -OLD.orders, -OLD.quantity, -OLD.amount_minor WHERE TG_OP <> 'INSERT'
    ) d (month, currency, product_id, orders, quantity, amount_minor)
    GROUP BY d.month, d.currency, d.product_id
    HAVING sum(d.orders) <> 0 OR sum(d.quantity) <> 0 OR sum(d.amount_minor) <> 0
    ORDER BY d.product_id, d.month
  LOOP
    INSERT INTO booked_product_windows (end_month, currency, product_id, orders, quantity, amount_minor)
      SELECT (k.month + make_interval(months => s))::date, k.currency, k.product_id, k.orders, k.quantity, k.amount_minor
      FROM generate_series(0, 2) s ORDER BY s
      ON CONFLICT (end_month, currency, product_id) DO UPDATE
        SET orders = booked_product_windows.orders + excluded.orders, quantity = booked_product_windows.quantity + excluded.quantity,
          amount_minor = booked_product_windows.amount_minor + excluded.amount_minor;
    DELETE FROM booked_product_windows
      WHERE end_month BETWEEN k.month AND (k.month + interval '2 months')::date AND currency = k.currency AND product_id = k.product_id AND orders = 0;
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER booked_product_windows_month AFTER INSERT OR UPDATE OR DELETE ON booked_product_months FOR EACH ROW EXECUTE FUNCTION booked_product_windows_follow_month();--> statement-breakpoint
-- sales_rollups_rebuild (migration 0020) with the windows: rebuilt set-wise from the month rows at the end.
CREATE OR REPLACE FUNCTION sales_rollups_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  zone text;
BEGIN
  LOCK TABLE booked_orders, booked_company_months, booked_product_months, booked_product_windows, order_cycle_times IN EXCLUSIVE MODE;
  ALTER TABLE booked_product_months DISABLE TRIGGER booked_product_windows_month;
  SELECT seller_time_zone INTO STRICT zone FROM analytics_settings;
  DELETE FROM booked_product_windows;
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
  INSERT INTO booked_product_windows (end_month, currency, product_id, orders, quantity, amount_minor)
    SELECT (m.month + make_interval(months => s))::date, m.currency, m.product_id, sum(m.orders)::int, sum(m.quantity), sum(m.amount_minor)
    FROM booked_product_months m CROSS JOIN generate_series(0, 2) s
    GROUP BY 1, m.currency, m.product_id;
  DELETE FROM order_cycle_times;
  INSERT INTO order_cycle_times (order_id, approved_at, submitted_at, accepted_at, customer_at, sales_at, finance_at)
    SELECT o.id, o.approved_at, o.submitted_at, o.accepted_at, d.c, d.s, d.f
    FROM orders o LEFT JOIN (SELECT x.order_id,
        max(x.decided_at) FILTER (WHERE x.step = 'customer') AS c,
        max(x.decided_at) FILTER (WHERE x.step = 'sales') AS s,
        max(x.decided_at) FILTER (WHERE x.step = 'finance') AS f
      FROM order_approvals x GROUP BY x.order_id) d ON d.order_id = o.id
    WHERE o.approved_at IS NOT NULL;
  ALTER TABLE booked_product_months ENABLE TRIGGER booked_product_windows_month;
END;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION sales_rollups_rebuild() FROM PUBLIC;--> statement-breakpoint
INSERT INTO booked_product_windows (end_month, currency, product_id, orders, quantity, amount_minor)
  SELECT (m.month + make_interval(months => s))::date, m.currency, m.product_id, sum(m.orders)::int, sum(m.quantity), sum(m.amount_minor)
  FROM booked_product_months m CROSS JOIN generate_series(0, 2) s
  GROUP BY 1, m.currency, m.product_id;
