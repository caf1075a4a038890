// A small slice around an author for the profile's "Research graph" panel: top co-authors and top topics.
// Parameters: $id (Author.id), $people, $topics (how many of each).
// Columns: kind ('author' or 'topic'), id, name, weight (joint works, or works about the topic), works_count.
MATCH (a:Author {id: $id})
CALL (a) {
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  RETURN 'author' AS kind, b.id AS id, coalesce(b.name, b.id) AS name, c.works AS weight,
         coalesce(b.works_count, 0) AS works_count
  ORDER BY weight DESC, id LIMIT $people
  UNION ALL
  MATCH (a)-[:AUTHORED]->(p:Paper)-[:ABOUT]->(t:Topic)
  WITH t, count(DISTINCT p) AS weight
  RETURN 'topic' AS kind, t.id AS id, coalesce(t.name, t.id) AS name, weight, weight AS works_count
  ORDER BY weight DESC, id LIMIT $topics
}
RETURN kind, id, name, weight, works_count
