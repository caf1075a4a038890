// Clear the :Stale mark of the given authors (run in the transaction that recomputed them).
// Parameters: $ids (Author ids).
// Columns: none.
// The seek hint: planned while no author was marked yet, the MATCH scanned every Author for each id (USING INDEX
// alone allows that scan: it is a use of the index).
UNWIND $ids AS id
MATCH (a:Author:Stale {id: id})
USING INDEX SEEK a:Author(id)
REMOVE a:Stale
