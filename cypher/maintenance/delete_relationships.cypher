// Delete every relationship, in bounded batches, before `maintenance/delete_all` empties a large graph.
// Parameters: none. Columns: none. A Topic or venue of a 100,000-paper graph holds tens of thousands of
// relationships, so `DETACH DELETE` of 500 nodes can exceed the transaction memory; deleting the
// relationships first in batches of a fixed size keeps every transaction small. Auto-commit only.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
