// COAUTHOR pairs of one batch that cannot exist yet (one of the two authors had no COAUTHOR relationship
// before this batch, or load/coauthors_existing did not find the pair): CREATE, no MERGE check. Same rows
// as load/coauthors_add.
// Parameters: $rows [{a: elementId of the author with the smaller id, b: [elementIds of the larger],
//   works: [joint papers], first: [year], last: [year]}] (lists parallel).
// Columns: none.
UNWIND $rows AS row
MATCH (x:Author) WHERE elementId(x) = row.a
UNWIND range(0, size(row.b) - 1) AS i
MATCH (y:Author) WHERE elementId(y) = row.b[i]
CREATE (x)-[:COAUTHOR {works: row.works[i], first_year: row.first[i], last_year: row.last[i]}]->(y)
