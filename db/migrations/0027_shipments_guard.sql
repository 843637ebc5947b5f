-- Shipments never carry more of an order line than was ordered: checked by the database on every
-- shipment line, whatever the application did. The quotation line is locked while checking, so two
-- concurrent shipments of one line are judged one after the other (the second sees the first's rows
-- once it commits; the service also ships under the order's row lock).
CREATE OR REPLACE FUNCTION shipment_lines_within_ordered() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_ordered integer;
  v_shipped bigint;
BEGIN
  SELECT quantity INTO v_ordered FROM quotation_lines
    WHERE quotation_id = NEW.quotation_id AND line_no = NEW.line_no FOR NO KEY UPDATE;
  SELECT coalesce(sum(quantity), 0) INTO v_shipped FROM shipment_lines
    WHERE quotation_id = NEW.quotation_id AND line_no = NEW.line_no;
  IF v_shipped > v_ordered THEN
    RAISE EXCEPTION 'shipped % of line % exceeds the % ordered', v_shipped, NEW.line_no, v_ordered
      USING ERRCODE = 'check_violation', CONSTRAINT = 'shipment_lines_within_ordered';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER shipment_lines_within_ordered
  AFTER INSERT OR UPDATE ON shipment_lines
  FOR EACH ROW EXECUTE FUNCTION shipment_lines_within_ordered();
--> statement-breakpoint
-- A shipment line's product is the ordered line's product.
CREATE OR REPLACE FUNCTION shipment_lines_product_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM quotation_lines WHERE quotation_id = NEW.quotation_id AND line_no = NEW.line_no AND product_id = NEW.product_id) THEN
    RAISE EXCEPTION 'shipment line % is not the ordered product', NEW.line_no
      USING ERRCODE = 'check_violation', CONSTRAINT = 'shipment_lines_product_matches';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER shipment_lines_product_matches BEFORE INSERT ON shipment_lines FOR EACH ROW EXECUTE FUNCTION shipment_lines_product_matches();
--> statement-breakpoint
-- Delivery notes are documents: immutable once issued.
CREATE TRIGGER shipments_immutable BEFORE UPDATE OR DELETE ON shipments FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
--> statement-breakpoint
CREATE TRIGGER shipment_lines_immutable BEFORE UPDATE OR DELETE ON shipment_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
