// The authors with the most works about a topic (or its narrower topics, up to 3 levels down).
// Parameters: $id (Topic.id), $limit.
// Columns: id, name, works (works about the topic), works_count (all their works).
MATCH (:Topic {id: $id})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)<-[:AUTHORED]-(a:Author)
WITH a, count(DISTINCT p) AS works
RETURN a.id AS id, coalesce(a.name, a.id) AS name, works, coalesce(a.works_count, 0) AS works_count
ORDER BY works DESC, works_count DESC, id
LIMIT $limit
