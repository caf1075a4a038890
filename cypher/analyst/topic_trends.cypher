// title: Topic trends per year
// description: Papers per year, from from_year on, for the topics with the most papers in a scheme ("arxiv"
//   categories or "openalex" topics). Sort by topic and year to read each trend.
// params: scheme (string) = "arxiv"; from_year (integer) = 1990; topics (integer) = 10
// columns: topic_id, topic, year, papers
MATCH (t:Topic {scheme: $scheme})<-[:ABOUT]-(:Paper)
WITH t, count(*) AS total
ORDER BY total DESC
LIMIT $topics
MATCH (t)<-[:ABOUT]-(p:Paper)
WHERE p.year >= $from_year
RETURN t.id AS topic_id, t.name AS topic, p.year AS year, count(p) AS papers
ORDER BY topic, year
