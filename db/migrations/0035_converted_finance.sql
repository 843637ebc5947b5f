CREATE TABLE "converted_entries" (
	"figure" text NOT NULL,
	"source_id" uuid NOT NULL,
	"part" integer NOT NULL,
	"on_date" date NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	"converted_minor" bigint,
	CONSTRAINT "converted_entries_pkey" PRIMARY KEY("figure","source_id","part"),
	CONSTRAINT "converted_entries_figure_check" CHECK ("converted_entries"."figure" in ('invoiced', 'collected'))
);
--> statement-breakpoint
ALTER TABLE "receivable_balances" ADD COLUMN "converted_minor" bigint;--> statement-breakpoint
CREATE INDEX "converted_entries_date_idx" ON "converted_entries" USING btree ("figure","on_date","currency","amount_minor","converted_minor");--> statement-breakpoint
-- Issue 15: the finance dashboard's converted totals from rows kept at write time instead of
-- converting every document of the period on each view (590 ms at 100,000 orders). The seller's
-- currency is analytics_settings.seller_currency (migration 0034); sales_rollups_set_currency rebuilds
-- these too. SECURITY DEFINER, owned by the migration owner: the app role only reads the tables.
--
-- receivable_balances (migrations 0017, 0033: a return's credit note lowers what is outstanding, only
-- the cancelling credit note takes the invoice out) with each open invoice's outstanding amount
-- converted at the invoice's rate.
CREATE OR REPLACE FUNCTION receivable_balance_refresh(p_invoice uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM 1 FROM invoices WHERE id = p_invoice FOR UPDATE;
  DELETE FROM receivable_balances WHERE invoice_id = p_invoice;
  INSERT INTO receivable_balances (invoice_id, company_id, currency, due_date, outstanding_minor, converted_minor)
    SELECT i.id, i.company_id, i.currency, i.due_date, i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0),
      to_seller_minor(i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0), i.currency, i.fx_base, i.fx_quote, i.fx_rate,
        (SELECT seller_currency FROM analytics_settings))::bigint
    FROM invoices i
    LEFT JOIN LATERAL (SELECT sum(a.amount_minor) AS paid FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE a.invoice_id = i.id AND p.status = 'verified') s ON true
    LEFT JOIN LATERAL (SELECT sum(n.total_minor) AS credited FROM credit_notes n WHERE n.invoice_id = i.id AND n.return_id IS NOT NULL) c ON true
    WHERE i.id = p_invoice AND i.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM credit_notes n WHERE n.invoice_id = i.id AND n.return_id IS NULL)
      AND i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0) > 0;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION receivable_balances_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_seller text;
BEGIN
  LOCK TABLE receivable_balances IN EXCLUSIVE MODE;
  SELECT seller_currency INTO STRICT v_seller FROM analytics_settings;
  DELETE FROM receivable_balances;
  INSERT INTO receivable_balances (invoice_id, company_id, currency, due_date, outstanding_minor, converted_minor)
    SELECT i.id, i.company_id, i.currency, i.due_date, i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0),
      to_seller_minor(i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0), i.currency, i.fx_base, i.fx_quote, i.fx_rate, v_seller)::bigint
    FROM invoices i
    LEFT JOIN (SELECT a.invoice_id, sum(a.amount_minor) AS paid FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE p.status = 'verified' GROUP BY a.invoice_id) s ON s.invoice_id = i.id
    LEFT JOIN (SELECT n.invoice_id, sum(n.total_minor) AS credited FROM credit_notes n WHERE n.return_id IS NOT NULL GROUP BY n.invoice_id) c ON c.invoice_id = i.id
    WHERE i.status = 'open' AND NOT EXISTS (SELECT 1 FROM credit_notes n WHERE n.invoice_id = i.id AND n.return_id IS NULL)
      AND i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0) > 0;
END;
$$;--> statement-breakpoint
-- converted_entries, invoiced: an issued invoice (its rate) and credit note (its invoice's rate) never
-- change, so each is written once, when inserted.
CREATE OR REPLACE FUNCTION converted_entries_follow_invoice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  INSERT INTO converted_entries (figure, source_id, part, on_date, currency, amount_minor, converted_minor)
    VALUES ('invoiced', NEW.id, 1, NEW.issue_date, NEW.currency, NEW.total_minor,
      to_seller_minor(NEW.total_minor, NEW.currency, NEW.fx_base, NEW.fx_quote, NEW.fx_rate, (SELECT seller_currency FROM analytics_settings))::bigint);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION converted_entries_follow_credit_note() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  INSERT INTO converted_entries (figure, source_id, part, on_date, currency, amount_minor, converted_minor)
    SELECT 'invoiced', NEW.id, 1, NEW.issue_date, NEW.currency, -NEW.total_minor,
      to_seller_minor(-NEW.total_minor, NEW.currency, i.fx_base, i.fx_quote, i.fx_rate, (SELECT seller_currency FROM analytics_settings))::bigint
    FROM invoices i WHERE i.id = NEW.invoice_id;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- The collected parts of one payment as the ledger defines them (collectedWithRates in
-- db/queries/analytics/converted.ts): verified, on the date paid; per rate of the invoices it is
-- allocated to, the allocated sum; the unallocated rest without a rate.
CREATE OR REPLACE FUNCTION converted_collected_parts(p_payment uuid, p_seller text)
RETURNS TABLE (part integer, on_date date, currency char(3), amount_minor bigint, converted_minor bigint)
LANGUAGE sql STABLE AS $$
  SELECT (row_number() OVER (ORDER BY g.fx_base NULLS LAST, g.fx_quote, g.fx_rate))::int, p.paid_on, p.currency, g.amount_minor::bigint,
      to_seller_minor(g.amount_minor, p.currency, g.fx_base, g.fx_quote, g.fx_rate, p_seller)::bigint
    FROM payments p
    CROSS JOIN LATERAL (
      SELECT sum(a.amount_minor) AS amount_minor, fi.fx_base::text AS fx_base, fi.fx_quote::text AS fx_quote, fi.fx_rate
      FROM payment_allocations a JOIN invoices fi ON fi.id = a.invoice_id
      WHERE a.payment_id = p.id
      GROUP BY fi.fx_base, fi.fx_quote, fi.fx_rate
      UNION ALL
      SELECT p.amount_minor - coalesce((SELECT sum(a.amount_minor) FROM payment_allocations a WHERE a.payment_id = p.id), 0), NULL, NULL, NULL
    ) g
    WHERE p.id = p_payment AND p.status = 'verified' AND g.amount_minor <> 0
$$;--> statement-breakpoint
-- Recomputes one payment's collected parts from the documents (never a delta). The payment row is
-- locked first (the services lock it before changing its status or allocations; a new payment is the
-- inserting transaction's own), and the parts are read by a later statement, whose snapshot sees every
-- change committed before the lock was granted.
CREATE OR REPLACE FUNCTION converted_collected_refresh(p_payment uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM 1 FROM payments WHERE id = p_payment FOR UPDATE;
  DELETE FROM converted_entries WHERE figure = 'collected' AND source_id = p_payment;
  INSERT INTO converted_entries (figure, source_id, part, on_date, currency, amount_minor, converted_minor)
    SELECT 'collected', p_payment, c.part, c.on_date, c.currency, c.amount_minor, c.converted_minor
    FROM converted_collected_parts(p_payment, (SELECT seller_currency FROM analytics_settings)) c;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION converted_entries_follow_payment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM converted_entries WHERE figure = 'collected' AND source_id = OLD.id;
  ELSE
    PERFORM converted_collected_refresh(NEW.id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION converted_entries_follow_allocation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM converted_collected_refresh(OLD.payment_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.payment_id <> OLD.payment_id) THEN
    PERFORM converted_collected_refresh(NEW.payment_id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER converted_entries_invoice AFTER INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION converted_entries_follow_invoice();--> statement-breakpoint
CREATE TRIGGER converted_entries_credit_note AFTER INSERT ON credit_notes FOR EACH ROW EXECUTE FUNCTION converted_entries_follow_credit_note();--> statement-breakpoint
CREATE TRIGGER converted_entries_payment AFTER INSERT OR UPDATE OF status, paid_on, amount_minor, currency OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION converted_entries_follow_payment();--> statement-breakpoint
CREATE TRIGGER converted_entries_allocation AFTER INSERT OR UPDATE OR DELETE ON payment_allocations FOR EACH ROW EXECUTE FUNCTION converted_entries_follow_allocation();--> statement-breakpoint
-- Rebuilds converted_entries from the documents, set-wise: the backfill below, a change of the seller's
-- currency, bulk loads that ran with triggers off (the analytics bench generator).
CREATE OR REPLACE FUNCTION converted_entries_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_seller text;
BEGIN
  LOCK TABLE converted_entries IN EXCLUSIVE MODE;
  SELECT seller_currency INTO STRICT v_seller FROM analytics_settings;
  DELETE FROM converted_entries;
  INSERT INTO converted_entries (figure, source_id, part, on_date, currency, amount_minor, converted_minor)
    SELECT 'invoiced', i.id, 1, i.issue_date, i.currency, i.total_minor, to_seller_minor(i.total_minor, i.currency, i.fx_base, i.fx_quote, i.fx_rate, v_seller)::bigint
    FROM invoices i
    UNION ALL
    SELECT 'invoiced', n.id, 1, n.issue_date, n.currency, -n.total_minor, to_seller_minor(-n.total_minor, n.currency, i.fx_base, i.fx_quote, i.fx_rate, v_seller)::bigint
    FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
    UNION ALL
    SELECT 'collected', p.id, c.part, c.on_date, c.currency, c.amount_minor, c.converted_minor
    FROM payments p CROSS JOIN LATERAL converted_collected_parts(p.id, v_seller) c
    WHERE p.status = 'verified';
END;
$$;--> statement-breakpoint
-- sales_rollups_set_currency (migration 0034): every rollup that converts into the seller's currency.
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
  PERFORM receivable_balances_rebuild();
  PERFORM converted_entries_rebuild();
  RETURN true;
END;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION sales_rollups_set_currency(text), receivable_balances_rebuild(), receivable_balance_refresh(uuid), converted_entries_rebuild(), converted_collected_refresh(uuid) FROM PUBLIC;--> statement-breakpoint
SELECT receivable_balances_rebuild();--> statement-breakpoint
SELECT converted_entries_rebuild();
