// Clear the :Stale mark of the given authors (run in the transaction that recomputed them).
// Parameters: $ids (Author ids).
// Columns: none.
UNWIND $ids AS id
MATCH (a:Author:Stale {id: id})
REMOVE a:Stale
