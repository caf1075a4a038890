// AUTHORED edges of papers that had none before this batch (load/papers says which): CREATE, no MERGE
// check. Nodes are found by the elementIds load/papers and load/authors returned in this transaction.
// The writer sends each (author, paper) pair once.
// Parameters: $rows [{paper: Paper elementId, authors: [Author elementIds], positions: [1-based],
//   institutions: [[Institution ids]], sources: [source names], bylines: [as printed]}] (the lists parallel).
// Columns: none (every edge is new: load/coauthors_new and load/coauthors_add count its pairs).
UNWIND $rows AS row
MATCH (p:Paper) WHERE elementId(p) = row.paper
UNWIND range(0, size(row.authors) - 1) AS i
MATCH (a:Author) WHERE elementId(a) = row.authors[i]
// An empty institution list is stored as no property (a null in CREATE sets nothing), as load/authored does.
CREATE (a)-[:AUTHORED {position: row.positions[i], source: row.sources[i], byline: row.bylines[i],
                       institutions: CASE WHEN size(row.institutions[i]) > 0 THEN row.institutions[i] END}]->(p)
