CREATE TABLE "catalog_words" (
	"word" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "catalog_words_word_idx" ON "catalog_words" USING btree ("word");--> statement-breakpoint
CREATE INDEX "catalog_words_word_trgm_idx" ON "catalog_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "price_list_entries_list_price_idx" ON "price_list_entries" USING btree ("price_list_id","unit_price_minor");--> statement-breakpoint
CREATE INDEX "products_search_a_idx" ON "products" USING gin (ts_filter("search_vector", '{a}'));--> statement-breakpoint
CREATE INDEX "products_active_price_idx" ON "products" USING btree ("base_price_minor","name","id") WHERE "products"."archived_at" is null;--> statement-breakpoint
-- The typo fallback's lexicon (catalog_words) is kept by the database: every statement that
-- inserts products or changes names adds the words it brings, whatever code runs it. One
-- statement-level trigger per statement (a 500-row import chunk is one insert of its new words).
-- No unique key, so concurrent writers never wait on each other's new words (see db/schema/catalog.ts).
CREATE OR REPLACE FUNCTION catalog_words_collect() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO catalog_words (word)
    SELECT DISTINCT w FROM new_products n, unnest(tsvector_to_array(to_tsvector('simple', n.name))) AS w
    WHERE NOT EXISTS (SELECT 1 FROM catalog_words c WHERE c.word = w);
  ELSE
    INSERT INTO catalog_words (word)
    SELECT DISTINCT w
    FROM new_products n JOIN old_products o ON o.id = n.id AND o.name IS DISTINCT FROM n.name,
      unnest(tsvector_to_array(to_tsvector('simple', n.name))) AS w
    WHERE NOT EXISTS (SELECT 1 FROM catalog_words c WHERE c.word = w);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER products_catalog_words_insert
  AFTER INSERT ON products REFERENCING NEW TABLE AS new_products
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_words_collect();
--> statement-breakpoint
CREATE TRIGGER products_catalog_words_update
  AFTER UPDATE ON products REFERENCING OLD TABLE AS old_products NEW TABLE AS new_products
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_words_collect();
--> statement-breakpoint
INSERT INTO catalog_words (word)
SELECT DISTINCT w FROM products p, unnest(tsvector_to_array(to_tsvector('simple', p.name))) AS w;
