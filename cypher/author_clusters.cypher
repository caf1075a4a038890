// The works of author $id with the evidence that ties the works of one person together (issue 11, "this
// profile may hold several people"): per work its co-authors (none for works with more than $max_authors
// authors: a big collaboration links everyone), the institutions of this authorship and the topics of the
// work, and whether its author list is complete (a cut list, "et al.", hides co-authors: such works alone
// are no cluster). graph/clusters.py groups the works into connected components of shared evidence.
// Parameters: $id (Author id), $max_authors (co-author evidence only from works with at most this many
//   authors), $limit (works read, newest first).
// Columns: id, title, year, complete (false: the author list was cut), coauthors [{id, name}], institutions [{id, name}], topics [{id, name}].
MATCH (a:Author {id: $id})-[r:AUTHORED]->(p:Paper)
WITH a, r, p
ORDER BY p.year DESC, p.id
LIMIT $limit
CALL (r) {
  UNWIND coalesce(r.institutions, []) AS institution
  MATCH (i:Institution {id: institution})
  RETURN collect({id: i.id, name: i.name}) AS institutions
}
RETURN p.id AS id, p.title AS title, p.year AS year, coalesce(p.authors_complete, true) AS complete,
       CASE WHEN COUNT { (p)<-[:AUTHORED]-(:Author) } > $max_authors THEN []
         ELSE [(p)<-[:AUTHORED]-(c:Author) WHERE c <> a | {id: c.id, name: c.name}] END AS coauthors,
       institutions,
       [(p)-[:ABOUT]->(t:Topic) | {id: t.id, name: t.name}] AS topics
