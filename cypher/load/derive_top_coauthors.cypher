// Each given author's strongest co-authors, ranked and kept on the author when they have more than
// $min_degree co-authors, so that a graph slice reads $top ids instead of thousands of relationships:
// top_coauthors (ids) and top_coauthor_stats (flat: joint works, first year, last year per id; 0 = no year),
// ranked by joint works, then last year, then id. Removed from authors with $min_degree co-authors or fewer.
// Parameters: $ids (Author ids), $min_degree, $top.
// Columns: none.
UNWIND $ids AS id
MATCH (a:Author {id: id})
WITH a, COUNT { (a)-[:COAUTHOR]-() } AS degree
CALL (a, degree) {
  WITH a WHERE degree <= $min_degree
  REMOVE a.top_coauthors, a.top_coauthor_stats
}
CALL (a, degree) {
  WITH a WHERE degree > $min_degree
  // The cut (the $top-th strongest joint works and last year) from relationship properties alone; then the
  // ids of those at or above it only, so ties at the cut go by id without reading every co-author's id.
  CALL (a) {
    MATCH (a)-[c:COAUTHOR]-()
    WITH c.works AS works, coalesce(c.last_year, 0) AS last ORDER BY works DESC, last DESC LIMIT $top
    RETURN last(collect([works, last])) AS cut
  }
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WHERE c.works > cut[0] OR (c.works = cut[0] AND coalesce(c.last_year, 0) >= cut[1])
  WITH a, b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, b.id LIMIT $top
  WITH a, collect(b.id) AS ids,
       collect([c.works, coalesce(c.first_year, 0), coalesce(c.last_year, 0)]) AS stats
  SET a.top_coauthors = ids, a.top_coauthor_stats = reduce(flat = [], s IN stats | flat + s)
}
