// The topics of the works with an authorship at an institution, most works first.
// Parameters: $id (Institution.id), $limit.
// Columns: id, name, works.
MATCH (:Institution {id: $id})<-[:AFFILIATED_WITH]-(:Author)-[r:AUTHORED]->(p:Paper)
WHERE $id IN coalesce(r.institutions, [])
WITH DISTINCT p
MATCH (p)-[:ABOUT]->(t:Topic)
WITH t, count(p) AS works
RETURN t.id AS id, coalesce(t.name, t.id) AS name, works
ORDER BY works DESC, id
LIMIT $limit
