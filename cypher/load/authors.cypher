// Authors of one batch: MERGE on id; keep the longest display name, add new raw spellings, keep an ORCID.
// Parameters: $rows [{id, name, variants: [raw names], orcid, block (the name block, see loaders.people)}].
// Columns: one row of parallel lists, one entry per input row: ids, eids (elementId, for look-ups later in
//   the same transaction), outs and ins (COAUTHOR relationships out of and into the author before this
//   batch's pairs: the writer picks how to find which pairs exist from them). Each author is marked
//   :Stale (derived values are recomputed by the derive_author_* queries).
UNWIND $rows AS row
MERGE (a:Author {id: row.id})
SET a.name = CASE
      WHEN a.name IS NULL OR size(row.name) > size(a.name) OR (size(row.name) = size(a.name) AND row.name < a.name)
        THEN row.name
      ELSE a.name END,
    a.name_variants = coalesce(a.name_variants, [])
      + [v IN row.variants WHERE NOT v IN coalesce(a.name_variants, [])],
    a.orcid = coalesce(a.orcid, row.orcid),
    a.block = coalesce(a.block, row.block),
    a:Stale
RETURN collect(row.id) AS ids, collect(elementId(a)) AS eids, collect(COUNT { (a)-[:COAUTHOR]->() }) AS outs,
       collect(COUNT { (a)<-[:COAUTHOR]-() }) AS ins
