CREATE TABLE "receivable_balances" (
	"invoice_id" uuid PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"due_date" date NOT NULL,
	"outstanding_minor" bigint NOT NULL,
	CONSTRAINT "receivable_balances_outstanding_check" CHECK ("receivable_balances"."outstanding_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "receivable_balances" ADD CONSTRAINT "receivable_balances_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receivable_balances" ADD CONSTRAINT "receivable_balances_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "receivable_balances_company_idx" ON "receivable_balances" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "credit_notes_issue_date_idx" ON "credit_notes" USING btree ("issue_date");--> statement-breakpoint
CREATE INDEX "invoices_issue_date_idx" ON "invoices" USING btree ("issue_date","currency","total_minor");--> statement-breakpoint
CREATE INDEX "orders_accepted_at_idx" ON "orders" USING btree ("accepted_at","status","company_id","currency","total_minor") WHERE "orders"."accepted_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_submitted_at_idx" ON "orders" USING btree ("submitted_at","accepted_at","status") WHERE "orders"."submitted_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_approved_at_idx" ON "orders" USING btree ("approved_at") WHERE "orders"."approved_at" is not null;--> statement-breakpoint
CREATE INDEX "payments_verified_paid_on_idx" ON "payments" USING btree ("paid_on","currency","amount_minor") WHERE "payments"."status" = 'verified';--> statement-breakpoint
-- receivable_balances: what each open invoice still has due from verified payments (analytics rollup).
-- Every change of a document that moves the figure recomputes that invoice's row from the documents
-- (never a delta), in the same transaction. The invoice row is locked first (as the allocation guard
-- does), and the sum is read by a later statement, whose snapshot sees every allocation committed
-- before the lock was granted: two concurrent payments of one invoice cannot leave a stale balance.
-- SECURITY DEFINER, owned by the migration owner: the app role only reads the table.
CREATE OR REPLACE FUNCTION receivable_balance_refresh(p_invoice uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM 1 FROM invoices WHERE id = p_invoice FOR UPDATE;
  DELETE FROM receivable_balances WHERE invoice_id = p_invoice;
  INSERT INTO receivable_balances (invoice_id, company_id, currency, due_date, outstanding_minor)
    SELECT i.id, i.company_id, i.currency, i.due_date, i.total_minor - coalesce(s.paid, 0)
    FROM invoices i
    LEFT JOIN LATERAL (SELECT sum(a.amount_minor) AS paid FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE a.invoice_id = i.id AND p.status = 'verified') s ON true
    WHERE i.id = p_invoice AND i.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM credit_notes n WHERE n.invoice_id = i.id)
      AND i.total_minor - coalesce(s.paid, 0) > 0;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION receivable_balances_follow_invoice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM receivable_balance_refresh(NEW.id);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION receivable_balances_follow_credit_note() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM receivable_balance_refresh(NEW.invoice_id);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION receivable_balances_follow_allocation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM receivable_balance_refresh(OLD.invoice_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM receivable_balance_refresh(NEW.invoice_id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION receivable_balances_follow_payment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  r record;
BEGIN
  IF (OLD.status = 'verified') <> (NEW.status = 'verified') THEN
    FOR r IN SELECT invoice_id FROM payment_allocations WHERE payment_id = NEW.id ORDER BY invoice_id LOOP
      PERFORM receivable_balance_refresh(r.invoice_id);
    END LOOP;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER receivable_balances_invoice AFTER INSERT OR UPDATE OF status, due_date, total_minor, company_id, currency ON invoices FOR EACH ROW EXECUTE FUNCTION receivable_balances_follow_invoice();--> statement-breakpoint
CREATE TRIGGER receivable_balances_credit_note AFTER INSERT ON credit_notes FOR EACH ROW EXECUTE FUNCTION receivable_balances_follow_credit_note();--> statement-breakpoint
CREATE TRIGGER receivable_balances_allocation AFTER INSERT OR UPDATE OR DELETE ON payment_allocations FOR EACH ROW EXECUTE FUNCTION receivable_balances_follow_allocation();--> statement-breakpoint
CREATE TRIGGER receivable_balances_payment AFTER UPDATE OF status ON payments FOR EACH ROW EXECUTE FUNCTION receivable_balances_follow_payment();--> statement-breakpoint
-- Rebuilds the whole table from the documents, set-wise: the backfill below, and bulk loads that ran
-- with triggers off (the analytics bench generator).
CREATE OR REPLACE FUNCTION receivable_balances_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  LOCK TABLE receivable_balances IN EXCLUSIVE MODE;
  DELETE FROM receivable_balances;
  INSERT INTO receivable_balances (invoice_id, company_id, currency, due_date, outstanding_minor)
    SELECT i.id, i.company_id, i.currency, i.due_date, i.total_minor - coalesce(s.paid, 0)
    FROM invoices i
    LEFT JOIN (SELECT a.invoice_id, sum(a.amount_minor) AS paid FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE p.status = 'verified' GROUP BY a.invoice_id) s ON s.invoice_id = i.id
    WHERE i.status = 'open' AND NOT EXISTS (SELECT 1 FROM credit_notes n WHERE n.invoice_id = i.id)
      AND i.total_minor - coalesce(s.paid, 0) > 0;
END;
$$;--> statement-breakpoint
SELECT receivable_balances_rebuild();
