// How many works an author has in the graph (for paging).
// Parameters: $id (Author.id).
// Columns: found (the author exists), total.
OPTIONAL MATCH (a:Author {id: $id})
OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
RETURN a IS NOT NULL AS found, count(p) AS total
