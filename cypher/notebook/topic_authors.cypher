// The authors of a topic's co-authorship network (works about the topic or a narrower one), for a notebook.
// Parameters: $topic (Topic.id), $min_works.
// Columns: id, name, works (all their works), citations, topic_works (works about the topic).
MATCH (:Topic {id: $topic})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)<-[:AUTHORED]-(a:Author)
WITH a, count(DISTINCT p) AS topic_works
WHERE coalesce(a.works_count, 0) >= $min_works
RETURN a.id AS id, coalesce(a.name, a.id) AS name, coalesce(a.works_count, 0) AS works,
       coalesce(a.cited_by_count, 0) AS citations, topic_works
ORDER BY topic_works DESC, id
