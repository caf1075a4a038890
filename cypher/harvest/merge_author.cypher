// Merge author $old into author $new (OpenAlex merged the ids; a 301 named the survivor): the AUTHORED edges
// move to $new, $old keeps only (old)-[:MERGED_INTO]->(new), and both authors and the co-authors of the
// moved papers are marked for re-derivation (COAUTHOR, counts, affiliations). Idempotent.
// Parameters: $old, $new (Author ids, e.g. "openalex:A123").
// Columns: moved (AUTHORED edges moved by this call).
MATCH (old:Author {id: $old})
MERGE (new:Author {id: $new})
  ON CREATE SET new.name = old.name
WITH old, new
CALL (old, new) {
  OPTIONAL MATCH (old)-[r:AUTHORED]->(p:Paper)
  WITH old, new, r, p
  WHERE r IS NOT NULL
  MERGE (new)-[n:AUTHORED]->(p)
  SET n += properties(r)
  WITH r, p
  DELETE r
  WITH p
  MATCH (p)<-[:AUTHORED]-(co:Author)
  SET co:StaleCoauthors:Stale
  RETURN count(DISTINCT p) AS moved
}
CALL (old) {
  OPTIONAL MATCH (old)-[c:COAUTHOR|AFFILIATED_WITH]-()
  DELETE c
}
MERGE (old)-[:MERGED_INTO]->(new)
SET old.merged_into = new.id, old:Stale, new:Stale:StaleCoauthors
RETURN moved
