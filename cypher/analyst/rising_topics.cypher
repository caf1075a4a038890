// title: Rising topics
// description: Topics whose paper count grew most: papers in the `years` years up to `until` against the
//   `years` years before them; growth = recent / (earlier + 1).
// params: until (integer) = 2023; years (integer) = 3; min_papers (integer) = 2; limit (integer) = 25
// columns: topic_id, topic, scheme, earlier, recent, growth
MATCH (t:Topic)<-[:ABOUT]-(p:Paper)
WHERE p.year > $until - 2 * $years AND p.year <= $until
WITH t,
     sum(CASE WHEN p.year > $until - $years THEN 1 ELSE 0 END) AS recent,
     sum(CASE WHEN p.year <= $until - $years THEN 1 ELSE 0 END) AS earlier
WHERE recent >= $min_papers
RETURN t.id AS topic_id, t.name AS topic, t.scheme AS scheme, earlier, recent,
       round(toFloat(recent) / (earlier + 1), 2) AS growth
ORDER BY growth DESC, recent DESC, topic
LIMIT $limit
