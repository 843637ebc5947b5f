ALTER TYPE "public"."order_status" ADD VALUE 'completed' BEFORE 'declined';--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
-- The transition trigger learns the new move (delivered → completed); same table as lib/domain/order-state.ts.
CREATE OR REPLACE FUNCTION orders_legal_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT ((OLD.status::text || '>' || NEW.status::text) = ANY (ARRAY[
    'draft>quoted',
    'quoted>awaiting_seller_approval', 'quoted>awaiting_customer_approval', 'quoted>declined', 'quoted>expired', 'quoted>cancelled',
    'awaiting_customer_approval>awaiting_seller_approval', 'awaiting_customer_approval>rejected', 'awaiting_customer_approval>cancelled',
    'awaiting_seller_approval>approved', 'awaiting_seller_approval>rejected', 'awaiting_seller_approval>cancelled',
    'approved>shipped', 'approved>cancelled',
    'shipped>delivered',
    'delivered>completed'
  ])) THEN
    RAISE EXCEPTION 'illegal order transition % → %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
