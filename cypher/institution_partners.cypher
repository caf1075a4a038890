// Partner institutions: other institutions on the same works (from AUTHORED.institutions), most joint works first.
// Parameters: $id (Institution.id), $limit.
// Columns: id, name, country, works (joint works).
MATCH (:Institution {id: $id})<-[:AFFILIATED_WITH]-(:Author)-[r:AUTHORED]->(p:Paper)
WHERE $id IN coalesce(r.institutions, [])
WITH DISTINCT p
MATCH (p)<-[r2:AUTHORED]-(:Author)
UNWIND coalesce(r2.institutions, []) AS other
WITH other, p WHERE other <> $id
WITH other, count(DISTINCT p) AS works
MATCH (o:Institution {id: other})
RETURN o.id AS id, coalesce(o.name, o.id) AS name, o.country AS country, works
ORDER BY works DESC, id
LIMIT $limit
