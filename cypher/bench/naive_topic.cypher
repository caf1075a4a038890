// Naive loader: one arXiv category of one paper, its field (PART_OF) and the paper's ABOUT edge.
// Parameters: $paper_id, $id (e.g. 'arxiv:cs.LG'), $name, $field_id (e.g. 'arxiv:cs'), $field_name, $score.
// Columns: none.
MATCH (p:Paper {id: $paper_id})
MERGE (t:Topic {id: $id})
ON CREATE SET t.name = $name, t.scheme = 'arxiv', t.level = 'category'
MERGE (f:Topic {id: $field_id})
ON CREATE SET f.name = $field_name, f.scheme = 'arxiv', f.level = 'field'
MERGE (t)-[:PART_OF]->(f)
MERGE (p)-[r:ABOUT]->(t)
SET r.score = $score
