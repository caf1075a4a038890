// The topics each author works on (the topics of their papers), by number of papers: the top $limit and the count.
// Parameters: $ids (Author ids), $limit (topics per author).
// Columns: from (Author id), total (topics), items (list of {node, weight = the author's papers about it}).
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(:Paper)-[:ABOUT]->(t:Topic)
  WITH t, count(*) AS papers ORDER BY papers DESC, t.id
  WITH collect({weight: papers, node: t {.id, eid: elementId(t), .name, .scheme, .level}}) AS topics
  RETURN size(topics) AS total, topics[..$limit] AS items
}
RETURN from, total, items
