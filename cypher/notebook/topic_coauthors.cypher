// The co-authorships among a topic's authors (each pair once), for a notebook.
// Parameters: $topic (Topic.id), $min_works.
// Columns: source, target (Author.id), works (joint works, all topics), first_year, last_year.
MATCH (:Topic {id: $topic})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(:Paper)<-[:AUTHORED]-(a:Author)
WHERE coalesce(a.works_count, 0) >= $min_works
WITH collect(DISTINCT a) AS people
UNWIND people AS a
MATCH (a)-[c:COAUTHOR]->(b:Author)
WHERE b IN people
RETURN a.id AS source, b.id AS target, coalesce(c.works, 1) AS works, c.first_year AS first_year,
       c.last_year AS last_year
ORDER BY works DESC, source, target
