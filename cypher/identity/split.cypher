// Split papers $papers off author $id into a new person $new (a correction: one node was two people). The
// AUTHORED edges move with all their properties; $id stores the papers in identity_excluded, the cannot-link
// every later load obeys (load/identity_people reads it); both people and the co-authors of the moved papers
// are marked for re-derivation. The caller checks first (identity/split_check).
// Parameters: $id (Author id), $new (an unused Author id of the same block), $papers (Paper ids), $name (the
//   new person's display name), $variants (the bylines of the moved edges).
// Columns: moved (AUTHORED edges moved).
MATCH (a:Author {id: $id})
CREATE (n:Author {id: $new, name: $name, name_variants: $variants, block: a.block, split_from: a.id})
WITH a, n
CALL (a, n) {
  MATCH (a)-[r:AUTHORED]->(p:Paper)
  WHERE p.id IN $papers
  CREATE (n)-[e:AUTHORED]->(p)
  SET e = properties(r)
  DELETE r
  WITH p
  MATCH (p)<-[:AUTHORED]-(co:Author)
  SET co:StaleCoauthors:Stale
  RETURN count(DISTINCT p) AS moved
}
SET a.identity_excluded = coalesce(a.identity_excluded, [])
      + [x IN $papers WHERE NOT x IN coalesce(a.identity_excluded, [])],
    a:Stale:StaleCoauthors, n:Stale:StaleCoauthors
RETURN moved
