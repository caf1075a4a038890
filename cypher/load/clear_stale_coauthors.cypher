// Clear the :StaleCoauthors mark of the given authors (run in the transaction that recomputed them).
// Parameters: $ids (Author ids).
// Columns: none.
UNWIND $ids AS id
MATCH (a:Author:StaleCoauthors {id: id})
REMOVE a:StaleCoauthors
