// The authors of an institution's co-authorship network, for a network export: everyone affiliated with
// it and at least $min_works works in all, most works first.
// Parameters: $id (Institution.id), $min_works, $limit (the node bound; the caller asks one more to see a cut).
// Columns: id.
MATCH (a:Author)-[:AFFILIATED_WITH]->(:Institution {id: $id})
WITH DISTINCT a
WHERE coalesce(a.works_count, 0) >= $min_works
RETURN a.id AS id
ORDER BY coalesce(a.works_count, 0) DESC, id
LIMIT $limit
