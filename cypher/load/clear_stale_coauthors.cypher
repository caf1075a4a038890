// Clear the :StaleCoauthors mark of the given authors (run in the transaction that recomputed them).
// Parameters: $ids (Author ids).
// Columns: none.
// The index hint: planned while no author was marked yet, the MATCH scanned every Author for each id.
UNWIND $ids AS id
MATCH (a:Author:StaleCoauthors {id: id})
USING INDEX a:Author(id)
REMOVE a:StaleCoauthors
