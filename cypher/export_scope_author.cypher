// The authors of an author's co-authorship neighbourhood, for a network export: the author and every
// co-author with at least $min_works works, the author first, then most works first.
// Parameters: $id (Author.id), $min_works, $limit (the node bound; the caller asks one more to see a cut).
// Columns: id.
MATCH (me:Author {id: $id})
CALL (me) {
  RETURN me AS a
  UNION
  MATCH (me)-[:COAUTHOR]-(a:Author)
  RETURN a
}
WITH me, a
WHERE a = me OR coalesce(a.works_count, 0) >= $min_works
RETURN a.id AS id
ORDER BY a = me DESC, coalesce(a.works_count, 0) DESC, id
LIMIT $limit
