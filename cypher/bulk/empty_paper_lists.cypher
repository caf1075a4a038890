// After a bulk import: the empty lists that CSV cannot express. Every Paper has `categories` and
// `sources` (stubs and works without categories have []); the importer left those empty ones unset.
// Parameters: none. Columns: none. Runs in batches, so it needs an auto-commit transaction.
MATCH (p:Paper)
WHERE p.categories IS NULL OR p.sources IS NULL
CALL (p) {
  SET p.categories = coalesce(p.categories, []), p.sources = coalesce(p.sources, [])
} IN TRANSACTIONS OF 10000 ROWS
