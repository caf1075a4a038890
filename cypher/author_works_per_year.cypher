// An author's works and citations per publication year, over the whole career.
// Parameters: $id (Author.id).
// Columns: year, works, citations (sum of the cited_by_count of that year's works).
MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)
WHERE p.year IS NOT NULL
RETURN p.year AS year, count(p) AS works, sum(coalesce(p.cited_by_count, 0)) AS citations
ORDER BY year
