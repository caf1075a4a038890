// The co-authorships among the authors of a network export, for a batch of them (each pair once: a
// COAUTHOR relationship is stored in one direction).
// Parameters: $batch (Author.id list: the sources looked at now), $ids (every Author.id in the export).
// Columns: source, target, weight (joint works).
UNWIND $batch AS sid
MATCH (a:Author {id: sid})-[c:COAUTHOR]->(b:Author)
WHERE b.id IN $ids
RETURN a.id AS source, b.id AS target, coalesce(c.works, 1) AS weight
