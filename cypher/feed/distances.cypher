// Collaboration distance (COAUTHOR hops, at most $max_hops) from each owner's author to each author they follow.
// Parameters: $pairs ([{owner: Author id, followed: Author id}]), $max_hops (the BFS bound, 4).
// Columns: owner, followed, hops (null when farther than $max_hops or not connected),
//   path [{id, name}] (one shortest path, owner first; empty when none).
UNWIND $pairs AS pair
MATCH (o:Author {id: pair.owner}), (f:Author {id: pair.followed})
WHERE o <> f
OPTIONAL MATCH p = shortestPath((o)-[:COAUTHOR*..4]-(f))
WITH pair, p, CASE WHEN p IS NULL OR length(p) > $max_hops THEN null ELSE p END AS kept
RETURN pair.owner AS owner, pair.followed AS followed,
       CASE WHEN kept IS NULL THEN null ELSE length(kept) END AS hops,
       CASE WHEN kept IS NULL THEN [] ELSE [n IN nodes(kept) | {id: n.id, name: coalesce(n.name, n.id)}] END AS path
