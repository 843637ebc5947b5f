ALTER TABLE "orders" ADD COLUMN "total_minor" bigint;--> statement-breakpoint
-- orders.total_minor follows the order's latest quotation version, whichever path issued it
-- (submit, revision, re-quote): versions only grow, so the newest insert is the latest.
CREATE OR REPLACE FUNCTION orders_follow_latest_quotation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orders SET total_minor = NEW.total_minor
    WHERE id = NEW.order_id
      AND NOT EXISTS (SELECT 1 FROM quotations q WHERE q.order_id = NEW.order_id AND q.version > NEW.version);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER quotations_set_order_total AFTER INSERT ON quotations FOR EACH ROW EXECUTE FUNCTION orders_follow_latest_quotation();
--> statement-breakpoint
UPDATE orders o SET total_minor = q.total_minor
  FROM (SELECT DISTINCT ON (order_id) order_id, total_minor FROM quotations ORDER BY order_id, version DESC) q
  WHERE q.order_id = o.id;
