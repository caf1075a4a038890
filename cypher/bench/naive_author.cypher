// Naive loader: one author of one paper (merged by id) and the AUTHORED edge.
// Parameters: $paper_id, $id (Author.id), $name (as written on the paper), $orcid (or null),
//   $position (1-based), $institutions (list of Institution ids given on this authorship).
// Columns: none.
MATCH (p:Paper {id: $paper_id})
MERGE (a:Author {id: $id})
ON CREATE SET a.name = $name, a.name_variants = [$name]
ON MATCH SET
  a.name = CASE WHEN size($name) > size(a.name) THEN $name ELSE a.name END,
  a.name_variants = CASE WHEN $name IN a.name_variants THEN a.name_variants ELSE a.name_variants + $name END
SET a.orcid = coalesce($orcid, a.orcid)
MERGE (a)-[r:AUTHORED]->(p)
SET r.position = $position, r.institutions = $institutions
