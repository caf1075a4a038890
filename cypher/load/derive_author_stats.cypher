// works_count, cited_by_count (sum over the author's papers) and h_index of the given authors.
// Parameters: $ids (Author ids).
// Columns: none.
UNWIND $ids AS id
MATCH (a:Author {id: id})
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH p, coalesce(p.cited_by_count, 0) AS c
  ORDER BY c DESC
  RETURN count(p) AS works, sum(c) AS cited, collect(c) AS counts
}
SET a.works_count = works,
    a.cited_by_count = cited,
    a.h_index = size([i IN range(1, size(counts)) WHERE counts[i - 1] >= i])
