-- An invoice can never be allocated more than its total: the database checks it on every
-- allocation and on every payment status change, whatever the application did. Rejected and
-- refunded payments no longer count. The invoice row is locked while checking, so two
-- concurrent allocations to one invoice are judged one after the other.
CREATE OR REPLACE FUNCTION invoice_allocation_within_total(p_invoice uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_total bigint;
  v_allocated bigint;
BEGIN
  SELECT total_minor INTO v_total FROM invoices WHERE id = p_invoice FOR UPDATE;
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
CREATE OR REPLACE FUNCTION payment_allocations_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM invoice_allocation_within_total(NEW.invoice_id);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER payment_allocations_within_total
  AFTER INSERT OR UPDATE ON payment_allocations
  FOR EACH ROW EXECUTE FUNCTION payment_allocations_check();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION payments_status_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF NEW.status IN ('pending_verification', 'verified') AND OLD.status NOT IN ('pending_verification', 'verified') THEN
    FOR r IN SELECT invoice_id FROM payment_allocations WHERE payment_id = NEW.id LOOP
      PERFORM invoice_allocation_within_total(r.invoice_id);
    END LOOP;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER payments_status_within_total
  AFTER UPDATE OF status ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_status_check();
