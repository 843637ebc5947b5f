ALTER TABLE "analytics_settings" ADD COLUMN "seller_currency" char(3) DEFAULT 'EUR' NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_company_months" ADD COLUMN "converted_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_company_months" ADD COLUMN "converted_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_company_months" ADD COLUMN "unconverted_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_orders" ADD COLUMN "converted_minor" bigint;--> statement-breakpoint
ALTER TABLE "booked_product_months" ADD COLUMN "converted_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_product_months" ADD COLUMN "converted_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_product_months" ADD COLUMN "unconverted_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_product_windows" ADD COLUMN "converted_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_product_windows" ADD COLUMN "converted_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booked_product_windows" ADD COLUMN "unconverted_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "booked_product_windows_converted_idx" ON "booked_product_windows" USING btree ("end_month","converted_minor" DESC NULLS LAST,"currency","amount_minor" DESC NULLS LAST,"product_id") WHERE "booked_product_windows"."converted_orders" > 0;--> statement-breakpoint
CREATE INDEX "booked_product_windows_unconverted_idx" ON "booked_product_windows" USING btree ("end_month","currency","amount_minor" DESC NULLS LAST,"product_id") WHERE "booked_product_windows"."converted_orders" = 0;--> statement-breakpoint
-- Issue 15: the booked amounts in the seller's base currency, kept in the sales rollups beside the
-- own-currency sums, so the sales dashboard ranks customers and products across currencies from the
-- rollups instead of converting three months of documents on every view.
--
-- currency_minor_digits: the minor-unit digits the app's minorDigits (lib/domain/money.ts, Intl) gives
-- every code, 2 unless listed; an integration test compares all 17,576 three-letter codes.
CREATE OR REPLACE FUNCTION currency_minor_digits(p_currency text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_currency = ANY ('{ADP,AFN,ALL,BIF,BYR,CLP,COP,DJF,ESP,GNF,HUF,IDR,IQD,IRR,ISK,ITL,JPY,KMF,KPW,KRW,LAK,LBP,LUF,MGA,MGF,MMK,MRO,PKR,PYG,RWF,SLL,SOS,STD,SYP,TMM,TRL,UGX,UYI,VND,VUV,XAF,XOF,XPF,YER,ZMK,ZWD}'::text[]) THEN 0
    WHEN p_currency = ANY ('{BHD,JOD,KWD,LYD,OMR,TND}'::text[]) THEN 3
    WHEN p_currency = ANY ('{CLF,UYW}'::text[]) THEN 4
    ELSE 2 END
$$;--> statement-breakpoint
-- to_seller_minor: an amount in minor units of p_currency in minor units of p_seller at a document's
-- snapshot rate (1 p_fx_base = p_fx_rate p_fx_quote), rounded once, half away from zero: toSellerCurrency
-- (lib/domain/currency.ts) in SQL. Exact: numeric multiplication is exact, the rate times 10^10 is an
-- integer (numeric(22,10)), the digits' shift a power of ten, and div truncates the exact quotient, so
-- sign × div(2 × |x| × d + d, 2 × d) rounds x = n / d exactly. An amount already in p_seller is itself;
-- another currency without a rate between the two is null (never converted at 1). One SELECT of one
-- expression, IMMUTABLE: the planner inlines it, and the currency's digits are looked up once per row.
CREATE OR REPLACE FUNCTION to_seller_minor(p_amount numeric, p_currency text, p_fx_base text, p_fx_quote text, p_fx_rate numeric, p_seller text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_currency = p_seller THEN p_amount
    WHEN p_fx_rate IS NULL THEN NULL
    WHEN p_fx_base = p_currency AND p_fx_quote = p_seller THEN
      -- x = amount × rate × 10^shift
      sign(p_amount) * div(abs(p_amount) * (p_fx_rate * 10000000000) * 2
          * ('{0.00000001,0.0000001,0.000001,0.00001,0.0001,0.001,0.01,0.1,1,10,100,1000,10000,100000,1000000,10000000,100000000}'::numeric[])[currency_minor_digits(p_seller) - currency_minor_digits(p_currency) + 9]
        + 10000000000, 20000000000)
    WHEN p_fx_base = p_seller AND p_fx_quote = p_currency THEN
      -- x = amount × 10^shift / rate
      sign(p_amount) * div(abs(p_amount) * 20000000000
          * ('{0.00000001,0.0000001,0.000001,0.00001,0.0001,0.001,0.01,0.1,1,10,100,1000,10000,100000,1000000,10000000,100000000}'::numeric[])[currency_minor_digits(p_seller) - currency_minor_digits(p_currency) + 9]
        + p_fx_rate * 10000000000, 2 * (p_fx_rate * 10000000000))
    END
$$;--> statement-breakpoint
-- What one booked order's quotation puts into booked_product_months, per product: its lines, quantity
-- and amount, and each line converted at the quotation's rate (a quotation has one line per product).
CREATE OR REPLACE FUNCTION booked_quotation_products(p_quotation uuid, p_currency text, p_seller text)
RETURNS TABLE (product_id uuid, orders integer, quantity bigint, amount_minor bigint, converted_orders integer, converted_minor bigint, unconverted_minor bigint)
LANGUAGE sql STABLE AS $$
  SELECT l.product_id, count(*)::int, sum(l.quantity)::bigint, sum(l.total_minor)::bigint,
      count(c.v)::int, coalesce(sum(c.v), 0)::bigint, coalesce(sum(l.total_minor) FILTER (WHERE c.v IS NULL), 0)::bigint
    FROM quotation_lines l JOIN quotations q ON q.id = l.quotation_id
      CROSS JOIN LATERAL (SELECT to_seller_minor(l.total_minor, p_currency, q.fx_base, q.fx_quote, q.fx_rate, p_seller) AS v) c
    WHERE l.quotation_id = p_quotation
    GROUP BY l.product_id
$$;--> statement-breakpoint
-- booked_order_refresh (migration 0020) with the converted amounts: the order's total converted once at
-- its latest quotation's rate, its lines each at the same rate.
CREATE OR REPLACE FUNCTION booked_order_refresh(p_order uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  cfg analytics_settings%ROWTYPE;
  was booked_orders%ROWTYPE;
  now_ booked_orders%ROWTYPE;
BEGIN
  SELECT * INTO STRICT cfg FROM analytics_settings;
  SELECT * INTO was FROM booked_orders WHERE order_id = p_order FOR UPDATE;
  SELECT o.id, lq.id, o.company_id, o.currency, date_trunc('month', o.accepted_at AT TIME ZONE cfg.seller_time_zone)::date, coalesce(o.total_minor, 0),
      to_seller_minor(coalesce(o.total_minor, 0), o.currency, lq.fx_base, lq.fx_quote, lq.fx_rate, cfg.seller_currency)::bigint
    INTO now_ FROM orders o
      LEFT JOIN LATERAL (SELECT q.id, q.fx_base, q.fx_quote, q.fx_rate FROM quotations q WHERE q.order_id = o.id ORDER BY q.version DESC LIMIT 1) lq ON true
    WHERE o.id = p_order AND o.accepted_at IS NOT NULL AND o.status NOT IN ('rejected', 'cancelled');
  IF was IS NOT DISTINCT FROM now_ THEN
    RETURN;
  END IF;
  IF was.order_id IS NOT NULL THEN
    UPDATE booked_company_months SET orders = orders - 1, amount_minor = amount_minor - was.amount_minor,
        converted_orders = converted_orders - (was.converted_minor IS NOT NULL)::int,
        converted_minor = converted_minor - coalesce(was.converted_minor, 0),
        unconverted_minor = unconverted_minor - CASE WHEN was.converted_minor IS NULL THEN was.amount_minor ELSE 0 END
      WHERE month = was.month AND currency = was.currency AND company_id = was.company_id;
    DELETE FROM booked_company_months WHERE month = was.month AND currency = was.currency AND company_id = was.company_id AND orders = 0;
    -- An upsert of the negated lines rather than UPDATE ... FROM: it locks the rows in product order.
    INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
      SELECT was.month, was.currency, e.product_id, -e.orders, -e.quantity, -e.amount_minor, -e.converted_orders, -e.converted_minor, -e.unconverted_minor
      FROM booked_quotation_products(was.quotation_id, was.currency, cfg.seller_currency) e ORDER BY e.product_id
      ON CONFLICT (month, currency, product_id) DO UPDATE
        SET orders = booked_product_months.orders + excluded.orders, quantity = booked_product_months.quantity + excluded.quantity,
          amount_minor = booked_product_months.amount_minor + excluded.amount_minor,
          converted_orders = booked_product_months.converted_orders + excluded.converted_orders,
          converted_minor = booked_product_months.converted_minor + excluded.converted_minor,
          unconverted_minor = booked_product_months.unconverted_minor + excluded.unconverted_minor;
    DELETE FROM booked_product_months WHERE month = was.month AND currency = was.currency AND orders = 0
      AND product_id IN (SELECT product_id FROM quotation_lines WHERE quotation_id = was.quotation_id);
    DELETE FROM booked_orders WHERE order_id = p_order;
  END IF;
  IF now_.order_id IS NOT NULL THEN
    INSERT INTO booked_orders VALUES (now_.*);
    INSERT INTO booked_company_months (month, currency, company_id, orders, amount_minor, converted_orders, converted_minor, unconverted_minor)
      VALUES (now_.month, now_.currency, now_.company_id, 1, now_.amount_minor, (now_.converted_minor IS NOT NULL)::int, coalesce(now_.converted_minor, 0),
        CASE WHEN now_.converted_minor IS NULL THEN now_.amount_minor ELSE 0 END)
      ON CONFLICT (month, currency, company_id) DO UPDATE
        SET orders = booked_company_months.orders + 1, amount_minor = booked_company_months.amount_minor + excluded.amount_minor,
          converted_orders = booked_company_months.converted_orders + excluded.converted_orders,
          converted_minor = booked_company_months.converted_minor + excluded.converted_minor,
          unconverted_minor = booked_company_months.unconverted_minor + excluded.unconverted_minor;
    INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
      SELECT now_.month, now_.currency, e.product_id, e.orders, e.quantity, e.amount_minor, e.converted_orders, e.converted_minor, e.unconverted_minor
      FROM booked_quotation_products(now_.quotation_id, now_.currency, cfg.seller_currency) e ORDER BY e.product_id
      ON CONFLICT (month, currency, product_id) DO UPDATE
        SET orders = booked_product_months.orders + excluded.orders, quantity = booked_product_months.quantity + excluded.quantity,
          amount_minor = booked_product_months.amount_minor + excluded.amount_minor,
          converted_orders = booked_product_months.converted_orders + excluded.converted_orders,
          converted_minor = booked_product_months.converted_minor + excluded.converted_minor,
          unconverted_minor = booked_product_months.unconverted_minor + excluded.unconverted_minor;
  END IF;
END;
$$;--> statement-breakpoint
-- booked_orders_follow_quotation_line (migration 0020) with the line converted at its quotation's rate.
CREATE OR REPLACE FUNCTION booked_orders_follow_quotation_line() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  b booked_orders%ROWTYPE;
  v bigint;
BEGIN
  SELECT * INTO b FROM booked_orders WHERE quotation_id = NEW.quotation_id FOR UPDATE;
  IF FOUND THEN
    SELECT to_seller_minor(NEW.total_minor, b.currency, q.fx_base, q.fx_quote, q.fx_rate, (SELECT seller_currency FROM analytics_settings))::bigint
      INTO v FROM quotations q WHERE q.id = NEW.quotation_id;
    INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
      VALUES (b.month, b.currency, NEW.product_id, 1, NEW.quantity, NEW.total_minor, (v IS NOT NULL)::int, coalesce(v, 0), CASE WHEN v IS NULL THEN NEW.total_minor ELSE 0 END)
      ON CONFLICT (month, currency, product_id) DO UPDATE
        SET orders = booked_product_months.orders + 1, quantity = booked_product_months.quantity + excluded.quantity,
          amount_minor = booked_product_months.amount_minor + excluded.amount_minor,
          converted_orders = booked_product_months.converted_orders + excluded.converted_orders,
          converted_minor = booked_product_months.converted_minor + excluded.converted_minor,
          unconverted_minor = booked_product_months.unconverted_minor + excluded.unconverted_minor;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- booked_product_windows_follow_month (migration 0022) carrying the converted columns.
CREATE OR REPLACE FUNCTION booked_product_windows_follow_month() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  k record;
BEGIN
  FOR k IN
    SELECT d.month, d.currency, d.product_id, sum(d.orders)::int AS orders, sum(d.quantity) AS quantity, sum(d.amount_minor) AS amount_minor,
        sum(d.converted_orders)::int AS converted_orders, sum(d.converted_minor) AS converted_minor, sum(d.unconverted_minor) AS unconverted_minor
    FROM (
      SELECT NEW.month, NEW.currency, NEW.product_id, NEW.orders, NEW.quantity, NEW.amount_minor, NEW.converted_orders, NEW.converted_minor, NEW.unconverted_minor
        WHERE TG_OP <> 'DELETE'
      UNION ALL
      SELECT OLD.month, OLD.currency, OLD.product_id, -OLD.orders, -OLD.quantity, -OLD.amount_minor, -OLD.converted_orders, -OLD.converted_minor, -OLD.unconverted_minor
        WHERE TG_OP <> 'INSERT'
    ) d (month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
    GROUP BY d.month, d.currency, d.product_id
    HAVING sum(d.orders) <> 0 OR sum(d.quantity) <> 0 OR sum(d.amount_minor) <> 0
      OR sum(d.converted_orders) <> 0 OR sum(d.converted_minor) <> 0 OR sum(d.unconverted_minor) <> 0
    ORDER BY d.product_id, d.month
  LOOP
    INSERT INTO booked_product_windows (end_month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
      SELECT (k.month + make_interval(months => s))::date, k.currency, k.product_id, k.orders, k.quantity, k.amount_minor,
          k.converted_orders, k.converted_minor, k.unconverted_minor
      FROM generate_series(0, 2) s ORDER BY s
      ON CONFLICT (end_month, currency, product_id) DO UPDATE
        SET orders = booked_product_windows.orders + excluded.orders, quantity = booked_product_windows.quantity + excluded.quantity,
          amount_minor = booked_product_windows.amount_minor + excluded.amount_minor,
          converted_orders = booked_product_windows.converted_orders + excluded.converted_orders,
          converted_minor = booked_product_windows.converted_minor + excluded.converted_minor,
          unconverted_minor = booked_product_windows.unconverted_minor + excluded.unconverted_minor;
    DELETE FROM booked_product_windows
      WHERE end_month BETWEEN k.month AND (k.month + interval '2 months')::date AND currency = k.currency AND product_id = k.product_id AND orders = 0;
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- sales_rollups_rebuild (migrations 0020, 0022) with the converted columns, in the seller's currency.
CREATE OR REPLACE FUNCTION sales_rollups_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  cfg analytics_settings%ROWTYPE;
BEGIN
  LOCK TABLE booked_orders, booked_company_months, booked_product_months, booked_product_windows, order_cycle_times IN EXCLUSIVE MODE;
  ALTER TABLE booked_product_months DISABLE TRIGGER booked_product_windows_month;
  SELECT * INTO STRICT cfg FROM analytics_settings;
  DELETE FROM booked_product_windows;
  DELETE FROM booked_product_months;
  DELETE FROM booked_company_months;
  DELETE FROM booked_orders;
  INSERT INTO booked_orders (order_id, quotation_id, company_id, currency, month, amount_minor, converted_minor)
    SELECT o.id, lq.id, o.company_id, o.currency, date_trunc('month', o.accepted_at AT TIME ZONE cfg.seller_time_zone)::date, coalesce(o.total_minor, 0),
      to_seller_minor(coalesce(o.total_minor, 0), o.currency, lq.fx_base, lq.fx_quote, lq.fx_rate, cfg.seller_currency)::bigint
    FROM orders o LEFT JOIN LATERAL (SELECT q.id, q.fx_base, q.fx_quote, q.fx_rate FROM quotations q WHERE q.order_id = o.id ORDER BY q.version DESC LIMIT 1) lq ON true
    WHERE o.accepted_at IS NOT NULL AND o.status NOT IN ('rejected', 'cancelled');
  INSERT INTO booked_company_months (month, currency, company_id, orders, amount_minor, converted_orders, converted_minor, unconverted_minor)
    SELECT month, currency, company_id, count(*)::int, sum(amount_minor), count(converted_minor)::int, coalesce(sum(converted_minor), 0),
      coalesce(sum(amount_minor) FILTER (WHERE converted_minor IS NULL), 0)
    FROM booked_orders GROUP BY month, currency, company_id;
  INSERT INTO booked_product_months (month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
    SELECT b.month, b.currency, e.product_id, sum(e.orders)::int, sum(e.quantity), sum(e.amount_minor),
      sum(e.converted_orders)::int, sum(e.converted_minor), sum(e.unconverted_minor)
    FROM booked_orders b CROSS JOIN LATERAL booked_quotation_products(b.quotation_id, b.currency, cfg.seller_currency) e
    GROUP BY b.month, b.currency, e.product_id;
  INSERT INTO booked_product_windows (end_month, currency, product_id, orders, quantity, amount_minor, converted_orders, converted_minor, unconverted_minor)
    SELECT (m.month + make_interval(months => g))::date, m.currency, m.product_id, sum(m.orders)::int, sum(m.quantity), sum(m.amount_minor),
      sum(m.converted_orders)::int, sum(m.converted_minor), sum(m.unconverted_minor)
    FROM booked_product_months m CROSS JOIN generate_series(0, 2) g
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
-- Called by the migrate step with DEFAULT_CURRENCY: rebuilds the rollups when the seller's currency changed.
CREATE OR REPLACE FUNCTION sales_rollups_set_currency(p_currency text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF p_currency IS NULL OR p_currency !~ '^[A-Z]{3}$' THEN
    RAISE EXCEPTION 'the seller''s currency must be an ISO 4217 code such as EUR, not %', coalesce(p_currency, 'null') USING ERRCODE = '22023';
  END IF;
  IF (SELECT seller_currency FROM analytics_settings FOR UPDATE) = p_currency THEN
    RETURN false;
  END IF;
  UPDATE analytics_settings SET seller_currency = p_currency;
  PERFORM sales_rollups_rebuild();
  RETURN true;
END;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION sales_rollups_set_currency(text), sales_rollups_rebuild(), booked_order_refresh(uuid) FROM PUBLIC;--> statement-breakpoint
SELECT sales_rollups_rebuild();
