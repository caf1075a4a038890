// The authors of a topic's co-authorship network, for a network export: everyone with a work about the
// topic or a narrower one (up to 3 levels down) and at least $min_works works in all, most works first.
// Parameters: $id (Topic.id), $min_works, $limit (the node bound; the caller asks one more to see a cut).
// Columns: id.
MATCH (:Topic {id: $id})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(:Paper)<-[:AUTHORED]-(a:Author)
WITH DISTINCT a
WHERE coalesce(a.works_count, 0) >= $min_works
RETURN a.id AS id
ORDER BY coalesce(a.works_count, 0) DESC, id
LIMIT $limit
