// AUTHORED edges of one batch, with the 1-based position and the institutions of that authorship.
// The first source to name the pair and its byline as printed stay on the edge. An authorship that names
// no institution stores no `institutions` (readers coalesce it to []): an empty list per edge costs the
// bulk import a pass over millions of edges, since its CSV cannot express one.
// Parameters: $rows [{author, paper, position, institutions: [Institution ids], source, byline}] (one row per pair).
// Columns: paper, author: the edges this query created (load/coauthors_add counts their pairs).
UNWIND $rows AS row
MATCH (a:Author {id: row.author})
MATCH (p:Paper {id: row.paper})
OPTIONAL MATCH (a)-[old:AUTHORED]->(p)
WITH a, p, row, old IS NULL AS created
MERGE (a)-[r:AUTHORED]->(p)
WITH r, row, created,
     coalesce(r.institutions, []) + [i IN row.institutions WHERE NOT i IN coalesce(r.institutions, [])] AS insts
SET r.position = row.position,
    r.source = coalesce(r.source, row.source),
    r.byline = coalesce(r.byline, row.byline),
    r.institutions = CASE WHEN size(insts) > 0 THEN insts END
WITH row, created
WHERE created
RETURN row.paper AS paper, row.author AS author
