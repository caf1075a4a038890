// AFFILIATED_WITH of the given authors from AUTHORED.institutions and the papers' years;
// affiliations no longer backed by any authorship are removed.
// Parameters: $ids (Author ids).
// Columns: none.
UNWIND $ids AS id
MATCH (a:Author {id: id})
CALL (a) {
  MATCH (a)-[r:AUTHORED]->(p:Paper)
  UNWIND coalesce(r.institutions, []) AS inst
  WITH a, inst, min(p.year) AS first, max(p.year) AS last, count(DISTINCT p) AS works
  MATCH (i:Institution {id: inst})
  MERGE (a)-[w:AFFILIATED_WITH]->(i)
  SET w.first_year = first, w.last_year = last, w.works = works
  RETURN collect(i.id) AS keep
}
CALL (a, keep) {
  MATCH (a)-[w:AFFILIATED_WITH]->(i:Institution)
  WHERE NOT i.id IN keep
  DELETE w
}
