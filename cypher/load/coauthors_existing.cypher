// Which of the batch's COAUTHOR pairs exist already, found by reading each smaller-id author's outgoing
// COAUTHOR relationships once (cheaper than a MERGE check per pair when that author has many pairs in
// the batch: each check scans the sparser end's relationships).
// Parameters: $rows [{a: elementId of the author with the smaller id, b: [elementIds of the larger]}].
// Columns: a, b (elementIds of the larger-id ends that exist), rels (the relationships' elementIds,
//   parallel to b).
UNWIND $rows AS row
MATCH (x:Author) WHERE elementId(x) = row.a
MATCH (x)-[c:COAUTHOR]->(y)
WHERE elementId(y) IN row.b
RETURN row.a AS a, collect(elementId(y)) AS b, collect(elementId(c)) AS rels
