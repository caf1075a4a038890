// COAUTHOR pairs added by the AUTHORED edges one batch created, in the batch's own transaction:
// one relationship per pair from the smaller id to the larger, `works` raised by the number of new joint
// papers, first/last year widened. Papers with more than $max_authors authors make no pairs.
// Because this runs in the transaction that created the edges, each joint paper is counted exactly
// once, however often a file is loaded.
// Parameters: $fresh {paper id: [ids of its authors whose AUTHORED edge is new]}, $max_authors.
// Columns: none.
UNWIND keys($fresh) AS pid
MATCH (p:Paper {id: pid})
WHERE p.author_count <= $max_authors
WITH p, $fresh[pid] AS new
MATCH (x:Author)-[:AUTHORED]->(p)<-[:AUTHORED]-(y:Author)
WHERE x.id < y.id AND (x.id IN new OR y.id IN new)
WITH x, y, count(DISTINCT p) AS n, min(p.year) AS first, max(p.year) AS last
MERGE (x)-[c:COAUTHOR]->(y)
SET c.works = coalesce(c.works, 0) + n,
    c.first_year = CASE WHEN c.first_year IS NULL OR first < c.first_year THEN first ELSE c.first_year END,
    c.last_year = CASE WHEN c.last_year IS NULL OR last > c.last_year THEN last ELSE c.last_year END
