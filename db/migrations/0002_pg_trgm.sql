-- Trigram matching for typo-tolerant catalogue search (PGlite loads the same extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
