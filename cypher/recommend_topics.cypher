// People working on the same topics as an author (not already co-authors), weighted so that big topics count less:
// score = sum over shared topics t of min(the author's works on t, theirs) / log(2 + papers about t).
// Only the author's $topics biggest topics and the $papers most recent papers of each are looked at (bounded work).
// Parameters: $id (Author.id), $topics, $papers, $limit.
// Columns: id, name, works_count, topic_score, shared [{id, name, scheme, mine, theirs}].
MATCH (a:Author {id: $id})-[:AUTHORED]->(:Paper)-[:ABOUT]->(t:Topic)
WITH a, t, count(*) AS mine
ORDER BY mine DESC, t.id LIMIT $topics
WITH a, t, mine, COUNT { (t)<-[:ABOUT]-(:Paper) } AS size
CALL (a, t) {
  MATCH (t)<-[:ABOUT]-(p:Paper)
  WITH p ORDER BY p.year DESC, p.id LIMIT $papers
  MATCH (p)<-[:AUTHORED]-(c:Author)
  WHERE c <> a
  RETURN c, count(DISTINCT p) AS theirs
}
WITH a, c, t, mine, theirs, size
WHERE NOT EXISTS { (a)-[:COAUTHOR]-(c) }
WITH c, sum(toFloat(CASE WHEN mine < theirs THEN mine ELSE theirs END) / log(2.0 + size)) AS topic_score,
     collect({id: t.id, name: coalesce(t.name, t.id), scheme: t.scheme, mine: mine, theirs: theirs}) AS shared
RETURN c.id AS id, coalesce(c.name, c.id) AS name, coalesce(c.works_count, 0) AS works_count, topic_score, shared
ORDER BY topic_score DESC, size(shared) DESC, id
LIMIT $limit
