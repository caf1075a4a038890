// Load benchmark: delete every relationship, in batches, before the nodes are deleted: a batch of
// DETACH DELETE that meets a hub (an author with thousands of COAUTHOR edges) can exceed the
// transaction memory limit on a 100,000-paper graph, a batch of plain relationships cannot.
// Parameters: none. Columns: none. Runs in batches, so it needs an auto-commit transaction.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS
