// The authors of the whole co-authorship network, for a network export: every author with at least
// $min_works works (the works_count index finds them), most works first.
// Parameters: $min_works, $limit (the node bound; the caller asks one more to see a cut).
// Columns: id.
MATCH (a:Author)
WHERE a.works_count >= $min_works OR ($min_works <= 0 AND a.works_count IS NULL)
RETURN a.id AS id
ORDER BY coalesce(a.works_count, 0) DESC, id
LIMIT $limit
