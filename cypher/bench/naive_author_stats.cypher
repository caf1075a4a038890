// Naive loader: recompute one author's derived figures from all of their papers.
// Parameters: $id (Author.id).
// Columns: none. Sets works_count, cited_by_count (sum over the papers) and h_index.
MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper)
WITH a, coalesce(p.cited_by_count, 0) AS cited
ORDER BY cited DESC
WITH a, collect(cited) AS counts
SET a.works_count = size(counts),
    a.cited_by_count = reduce(total = 0, c IN counts | total + c),
    a.h_index = size([i IN range(0, size(counts) - 1) WHERE counts[i] >= i + 1])
