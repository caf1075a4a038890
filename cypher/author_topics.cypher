// The topics an author's works are about, most works first.
// Parameters: $id (Author.id), $limit.
// Columns: id, name, scheme, level, works (the author's works about it).
MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)-[:ABOUT]->(t:Topic)
RETURN t.id AS id, coalesce(t.name, t.id) AS name, t.scheme AS scheme, t.level AS level, count(DISTINCT p) AS works
ORDER BY works DESC, id
LIMIT $limit
