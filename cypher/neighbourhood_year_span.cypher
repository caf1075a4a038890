// The first and last year of a researcher's works (the ends of the explorer's year slider).
// Parameters: $id (Author id). Columns: first, last (null when no work has a year, or no such author).
OPTIONAL MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)
RETURN min(p.year) AS first, max(p.year) AS last
