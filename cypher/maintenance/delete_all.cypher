// Empty the graph (tests run it between tests; operators use it to start over). Keeps the schema.
// Parameters: none. Columns: none. Runs in batches (small: prolific authors have thousands of
// relationships each, and a batch must stay within the per-transaction memory limit), so it needs
// an auto-commit transaction.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 500 ROWS
