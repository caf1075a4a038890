// One page of author ids in id order (the bulk import recomputes every author's AI share and novelty).
// Parameters: $after (the last id of the previous page; '' for the first), $limit.
// Columns: id.
MATCH (a:Author)
WHERE a.id > $after
RETURN a.id AS id
ORDER BY id
LIMIT $limit
