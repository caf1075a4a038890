// title: Most cited papers
// description: The papers with the highest citation counts published between two years, with their first
//   authors and venue (counts are the larger of the source's own and the citations inside the graph).
// params: from_year (integer) = 1900; to_year (integer) = 2100; limit (integer) = 25
// columns: paper_id, title, year, venue, cited_by_count, first_authors
MATCH (p:Paper)
WHERE p.year >= $from_year AND p.year <= $to_year AND p.cited_by_count > 0
WITH p
ORDER BY p.cited_by_count DESC
LIMIT $limit
OPTIONAL MATCH (a:Author)-[r:AUTHORED]->(p)
WITH p, a, r
ORDER BY r.position
RETURN p.id AS paper_id, p.title AS title, p.year AS year, p.venue AS venue, p.cited_by_count AS cited_by_count,
       collect(a.name)[..3] AS first_authors
ORDER BY cited_by_count DESC, title
