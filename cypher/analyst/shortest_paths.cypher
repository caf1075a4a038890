// title: Shortest collaboration paths between two researchers
// description: Every shortest chain of co-authorships (at most 8 hops) from one researcher to another, with
//   the people on the way; the graph view draws the chains.
// params: from_id (string) = "name:diaz_i"; to_id (string) = "name:wyart_m"; limit (integer) = 10
// columns: hops, chain, path
MATCH (a:Author {id: $from_id}), (b:Author {id: $to_id})
MATCH path = allShortestPaths((a)-[:COAUTHOR*..8]-(b))
RETURN length(path) AS hops, [n IN nodes(path) | n.name] AS chain, path
LIMIT $limit
