-- Issued documents are immutable in the database itself: quotations (every version), their
-- lines, invoice lines and credit notes refuse UPDATE and DELETE; an invoice may only change
-- its status (open → cancelled by a credit note).
CREATE OR REPLACE FUNCTION refuse_document_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is immutable once issued: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER quotations_immutable BEFORE UPDATE OR DELETE ON quotations FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
CREATE TRIGGER quotation_lines_immutable BEFORE UPDATE OR DELETE ON quotation_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoices_status_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices are immutable once issued: DELETE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - 'status') <> (to_jsonb(OLD) - 'status') OR NOT (OLD.status = 'open' AND NEW.status IN ('open', 'cancelled')) THEN
    RAISE EXCEPTION 'invoices are immutable once issued: only open → cancelled is allowed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_status_only();
--> statement-breakpoint
-- The order state machine, as a last line of defence behind the services' conditional updates
-- (lib/domain/order-state.ts holds the same table; a test compares them).
CREATE OR REPLACE FUNCTION orders_legal_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT ((OLD.status::text || '>' || NEW.status::text) = ANY (ARRAY[
    'draft>quoted',
    'quoted>awaiting_seller_approval', 'quoted>awaiting_customer_approval', 'quoted>declined', 'quoted>expired', 'quoted>cancelled',
    'awaiting_customer_approval>awaiting_seller_approval', 'awaiting_customer_approval>rejected', 'awaiting_customer_approval>cancelled',
    'awaiting_seller_approval>approved', 'awaiting_seller_approval>rejected', 'awaiting_seller_approval>cancelled',
    'approved>shipped', 'approved>cancelled',
    'shipped>delivered'
  ])) THEN
    RAISE EXCEPTION 'illegal order transition % → %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER orders_legal_transition BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_legal_transition();
