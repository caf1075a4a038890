// Merge author $from into author $into (a correction: one person was two nodes). $from's AUTHORED edges move
// to $into with all their properties (position, source, byline, institutions) and `merged_from` (the id that
// first held the edge, so later loads know which bylines were $from's); $from keeps no relationship but
// (from)-[:MERGED_INTO]->(into) and redirects made earlier into it; its spellings join $into's. $into and
// the co-authors of the moved papers are marked for re-derivation (COAUTHOR pairs, counts, affiliations).
// The caller checks first (identity/merge_check): no shared paper, $into not merged away.
// Parameters: $from, $into (Author ids).
// Columns: moved (AUTHORED edges moved).
MATCH (f:Author {id: $from}), (i:Author {id: $into})
CALL (f, i) {
  MATCH (f)-[r:AUTHORED]->(p:Paper)
  CREATE (i)-[n:AUTHORED]->(p)
  SET n = properties(r), n.merged_from = coalesce(r.merged_from, f.id)
  DELETE r
  WITH p
  MATCH (p)<-[:AUTHORED]-(co:Author)
  SET co:StaleCoauthors:Stale
  RETURN count(DISTINCT p) AS moved
}
CALL (f) {
  MATCH (f)-[c]-()
  WHERE NOT c:MERGED_INTO
  DELETE c
}
MERGE (f)-[:MERGED_INTO]->(i)
SET f.merged_into = i.id,
    i.name = CASE WHEN f.name IS NOT NULL AND size(f.name) > size(coalesce(i.name, '')) THEN f.name ELSE i.name END,
    i.name_variants = coalesce(i.name_variants, [])
      + [v IN coalesce(f.name_variants, []) WHERE NOT v IN coalesce(i.name_variants, [])],
    i.orcid = coalesce(i.orcid, f.orcid),
    i:Stale:StaleCoauthors
REMOVE f:Stale:StaleCoauthors
RETURN moved
