// The authors who work on each topic (authors of papers about it), most papers on it first: top $limit and count.
// Parameters: $ids (Topic ids), $limit (authors per topic).
// Columns: from (Topic id), total (authors), items (list of {node, weight = their papers about the topic}).
UNWIND $ids AS from
MATCH (t:Topic {id: from})
CALL (t) {
  MATCH (a:Author)-[:AUTHORED]->(:Paper)-[:ABOUT]->(t)
  WITH a, count(*) AS papers ORDER BY papers DESC, coalesce(a.cited_by_count, 0) DESC, a.id
  WITH collect({weight: papers, node: a {.id, eid: elementId(a), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS people
  RETURN size(people) AS total, people[..$limit] AS items
}
RETURN from, total, items
