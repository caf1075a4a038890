// Topics that the same works are also about, most shared works first (the topic's own narrower topics left out).
// Parameters: $id (Topic.id), $limit.
// Columns: id, name, scheme, level, works (works about both).
MATCH (t:Topic {id: $id})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)-[:ABOUT]->(o:Topic)
WHERE NOT EXISTS { (o)-[:PART_OF*0..3]->(t) }
WITH o, count(DISTINCT p) AS works
RETURN o.id AS id, coalesce(o.name, o.id) AS name, o.scheme AS scheme, o.level AS level, works
ORDER BY works DESC, id
LIMIT $limit
