// AUTHORED edges of one batch, with the 1-based position and the institutions of that authorship.
// The first source to name the pair and its byline as printed stay on the edge.
// Parameters: $rows [{author, paper, position, institutions: [Institution ids], source, byline}] (one row per pair).
// Columns: paper, author: the edges this query created (load/coauthors_add counts their pairs).
UNWIND $rows AS row
MATCH (a:Author {id: row.author})
MATCH (p:Paper {id: row.paper})
OPTIONAL MATCH (a)-[old:AUTHORED]->(p)
WITH a, p, row, old IS NULL AS created
MERGE (a)-[r:AUTHORED]->(p)
SET r.position = row.position,
    r.source = coalesce(r.source, row.source),
    r.byline = coalesce(r.byline, row.byline),
    r.institutions = coalesce(r.institutions, [])
      + [i IN row.institutions WHERE NOT i IN coalesce(r.institutions, [])]
WITH row, created
WHERE created
RETURN row.paper AS paper, row.author AS author
