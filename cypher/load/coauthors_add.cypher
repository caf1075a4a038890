// COAUTHOR increments of one batch, for pairs that may exist already: MERGE the relationship (from the
// smaller id to the larger), raise `works` by the batch's new joint papers, widen first/last year.
// The writer computes the increments from the AUTHORED edges the batch created, in the batch's own
// transaction, so each joint paper is counted exactly once however often a file is loaded.
// Nodes are found by the elementIds returned earlier in the same transaction.
// Parameters: $rows [{a: elementId of the author with the smaller id, b: [elementIds of the larger],
//   works: [joint papers added], first: [year], last: [year]}] (lists parallel), sorted by id.
// Columns: none.
UNWIND $rows AS row
MATCH (x:Author) WHERE elementId(x) = row.a
UNWIND range(0, size(row.b) - 1) AS i
MATCH (y:Author) WHERE elementId(y) = row.b[i]
MERGE (x)-[c:COAUTHOR]->(y)
ON CREATE SET c.works = row.works[i], c.first_year = row.first[i], c.last_year = row.last[i]
ON MATCH SET c.works = coalesce(c.works, 0) + row.works[i],
    c.first_year = CASE WHEN c.first_year IS NULL OR row.first[i] < c.first_year THEN row.first[i]
      ELSE c.first_year END,
    c.last_year = CASE WHEN c.last_year IS NULL OR row.last[i] > c.last_year THEN row.last[i]
      ELSE c.last_year END
