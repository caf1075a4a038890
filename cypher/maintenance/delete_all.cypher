// Empty the graph (tests run it between tests; operators use it to start over). Keeps the schema.
// Parameters: none. Columns: none. Runs in batches, so it needs an auto-commit transaction.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
