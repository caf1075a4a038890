// Shortest collaborator paths between two authors over COAUTHOR (undirected), at most 6 hops.
// All shortest paths are found (up to 100, so a pair joined by a huge number of them stays fast);
// the $k strongest (most joint works along the path, then by ids) are returned.
// Parameters: $from, $to (Author ids, different), $k (paths to return).
// Columns: found (shortest paths seen, at most 100), hops (their length, null when none),
// paths (list of {ids, names, works: joint works per hop}).
MATCH (a:Author {id: $from}), (b:Author {id: $to})
OPTIONAL MATCH p = allShortestPaths((a)-[:COAUTHOR*..6]-(b))
WITH p LIMIT 100
WITH collect(p) AS found
UNWIND (CASE WHEN found = [] THEN [null] ELSE found END) AS p
WITH found, p, reduce(total = 0, r IN coalesce(relationships(p), []) | total + coalesce(r.works, 1)) AS strength
ORDER BY strength DESC, [n IN coalesce(nodes(p), []) | n.id]
WITH found, collect(p)[..$k] AS best
RETURN size(found) AS found,
       CASE WHEN found = [] THEN null ELSE length(found[0]) END AS hops,
       [p IN best WHERE p IS NOT NULL | {
         ids: [n IN nodes(p) | n.id],
         names: [n IN nodes(p) | n.name],
         works: [r IN relationships(p) | coalesce(r.works, 1)]
       }] AS paths
