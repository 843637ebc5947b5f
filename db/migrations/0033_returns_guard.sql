-- A return's credit note names its return (the FK drizzle cannot declare: returns.ts imports orders.ts).
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."returns"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
-- The goods returned of an order line (returns not rejected) never exceed what shipped of it. The
-- quotation line is locked while checking (as shipment_lines_within_ordered does), so two concurrent
-- returns of one line are judged one after the other; the service also works under the order's lock.
-- Called for a new return line, and for a return that leaves "rejected" (it cannot; the status guard
-- below refuses that, but the check does not rely on it).
CREATE OR REPLACE FUNCTION return_line_within_shipped(p_quotation uuid, p_line integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_shipped bigint;
  v_returned bigint;
BEGIN
  PERFORM 1 FROM quotation_lines WHERE quotation_id = p_quotation AND line_no = p_line FOR NO KEY UPDATE;
  SELECT coalesce(sum(quantity), 0) INTO v_shipped FROM shipment_lines WHERE quotation_id = p_quotation AND line_no = p_line;
  SELECT coalesce(sum(l.quantity), 0) INTO v_returned FROM return_lines l JOIN returns r ON r.id = l.return_id
    WHERE l.quotation_id = p_quotation AND l.line_no = p_line AND r.status <> 'rejected';
  IF v_returned > v_shipped THEN
    RAISE EXCEPTION 'returned % of line % exceeds the % shipped', v_returned, p_line, v_shipped
      USING ERRCODE = 'check_violation', CONSTRAINT = 'return_lines_within_shipped';
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION return_lines_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM quotation_lines WHERE quotation_id = NEW.quotation_id AND line_no = NEW.line_no AND product_id = NEW.product_id) THEN
    RAISE EXCEPTION 'return line % is not the ordered product', NEW.line_no
      USING ERRCODE = 'check_violation', CONSTRAINT = 'return_lines_product_matches';
  END IF;
  PERFORM return_line_within_shipped(NEW.quotation_id, NEW.line_no);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER return_lines_within_shipped AFTER INSERT ON return_lines FOR EACH ROW EXECUTE FUNCTION return_lines_check();
--> statement-breakpoint
-- Return lines are written once, with their return.
CREATE TRIGGER return_lines_immutable BEFORE UPDATE OR DELETE ON return_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
-- A return's status only moves forward (requested → approved → received, requested|approved → rejected),
-- and nothing but the steps' own columns changes; a return is never deleted.
CREATE OR REPLACE FUNCTION returns_legal_step() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'returns are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['status', 'decided_by', 'decided_at', 'rejection_reason', 'received_by', 'received_at'])
     <> (to_jsonb(OLD) - ARRAY['status', 'decided_by', 'decided_at', 'rejection_reason', 'received_by', 'received_at'])
     OR NOT ((OLD.status::text || '>' || NEW.status::text) = ANY (ARRAY['requested>approved', 'requested>rejected', 'approved>received', 'approved>rejected'])) THEN
    RAISE EXCEPTION 'illegal return step % → %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status = 'rejected' AND NEW.status <> 'rejected' THEN
    FOR r IN SELECT quotation_id, line_no FROM return_lines WHERE return_id = NEW.id ORDER BY line_no LOOP
      PERFORM return_line_within_shipped(r.quotation_id, r.line_no);
    END LOOP;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER returns_legal_step BEFORE UPDATE OR DELETE ON returns FOR EACH ROW EXECUTE FUNCTION returns_legal_step();
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
-- The credit notes of an invoice never credit more than its total. The invoice row is locked while
-- checking, so two concurrent credit notes of one invoice are judged one after the other.
CREATE OR REPLACE FUNCTION credit_notes_within_invoice_total() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_total bigint;
  v_credited bigint;
BEGIN
  SELECT total_minor INTO v_total FROM invoices WHERE id = NEW.invoice_id FOR UPDATE;
  SELECT coalesce(sum(total_minor), 0) INTO v_credited FROM credit_notes WHERE invoice_id = NEW.invoice_id;
  IF v_credited > v_total OR NEW.total_minor < 0 THEN
    RAISE EXCEPTION 'credit notes of % exceed the total % of invoice %', v_credited, v_total, NEW.invoice_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_within_invoice_total';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER credit_notes_within_invoice_total AFTER INSERT ON credit_notes FOR EACH ROW EXECUTE FUNCTION credit_notes_within_invoice_total();
--> statement-breakpoint
-- Payments may cover what the invoice still asks once returns are credited: total − return credit notes.
CREATE OR REPLACE FUNCTION invoice_allocation_within_total(p_invoice uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_total bigint;
  v_allocated bigint;
BEGIN
  SELECT total_minor INTO v_total FROM invoices WHERE id = p_invoice FOR UPDATE;
  SELECT v_total - coalesce(sum(total_minor), 0) INTO v_total FROM credit_notes WHERE invoice_id = p_invoice AND return_id IS NOT NULL;
  SELECT coalesce(sum(a.amount_minor), 0) INTO v_allocated
    FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
    WHERE a.invoice_id = p_invoice AND p.status IN ('pending_verification', 'verified');
  IF v_allocated > v_total THEN
    RAISE EXCEPTION 'allocations of % exceed the total % of invoice %', v_allocated, v_total, p_invoice
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_within_invoice_total';
  END IF;
END;
$$;
--> statement-breakpoint
-- The receivables rollup: a return's credit note lowers what is outstanding; only the cancelling
-- credit note (return_id null) takes the invoice out.
CREATE OR REPLACE FUNCTION receivable_balance_refresh(p_invoice uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM 1 FROM invoices WHERE id = p_invoice FOR UPDATE;
  DELETE FROM receivable_balances WHERE invoice_id = p_invoice;
  INSERT INTO receivable_balances (invoice_id, company_id, currency, due_date, outstanding_minor)
    SELECT i.id, i.company_id, i.currency, i.due_date, i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0)
    FROM invoices i
    LEFT JOIN LATERAL (SELECT sum(a.amount_minor) AS paid FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE a.invoice_id = i.id AND p.status = 'verified') s ON true
    LEFT JOIN LATERAL (SELECT sum(n.total_minor) AS credited FROM credit_notes n WHERE n.invoice_id = i.id AND n.return_id IS NOT NULL) c ON true
    WHERE i.id = p_invoice AND i.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM credit_notes n WHERE n.invoice_id = i.id AND n.return_id IS NULL)
      AND i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0) > 0;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION receivable_balances_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  LOCK TABLE receivable_balances IN EXCLUSIVE MODE;
  DELETE FROM receivable_balances;
  INSERT INTO receivable_balances (invoice_id, company_id, currency, due_date, outstanding_minor)
    SELECT i.id, i.company_id, i.currency, i.due_date, i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0)
    FROM invoices i
    LEFT JOIN (SELECT a.invoice_id, sum(a.amount_minor) AS paid FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
      WHERE p.status = 'verified' GROUP BY a.invoice_id) s ON s.invoice_id = i.id
    LEFT JOIN (SELECT n.invoice_id, sum(n.total_minor) AS credited FROM credit_notes n WHERE n.return_id IS NOT NULL GROUP BY n.invoice_id) c ON c.invoice_id = i.id
    WHERE i.status = 'open' AND NOT EXISTS (SELECT 1 FROM credit_notes n WHERE n.invoice_id = i.id AND n.return_id IS NULL)
      AND i.total_minor - coalesce(c.credited, 0) - coalesce(s.paid, 0) > 0;
END;
$$;
