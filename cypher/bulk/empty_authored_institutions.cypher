// After a bulk import: every AUTHORED has `institutions`, [] when the authorship gave none; the
// importer cannot write an empty list, so those are set here.
// Parameters: none. Columns: none. Runs in batches, so it needs an auto-commit transaction.
MATCH ()-[r:AUTHORED]->()
WHERE r.institutions IS NULL
CALL (r) {
  SET r.institutions = []
} IN TRANSACTIONS OF 20000 ROWS
