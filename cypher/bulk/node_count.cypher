// How many nodes the database holds (the bulk import refuses a database that is not empty).
// Parameters: none.
// Columns: nodes.
MATCH (n)
RETURN count(n) AS nodes
