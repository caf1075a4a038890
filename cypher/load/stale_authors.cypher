// Ids of up to $limit authors whose derived values must be recomputed.
// Parameters: $limit.
// Columns: id.
MATCH (a:Author:Stale)
USING SCAN a:Stale
RETURN a.id AS id
LIMIT $limit
