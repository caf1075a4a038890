// The authors of the given papers (whose AI share and novelty must be recomputed after the papers' metrics changed).
// Parameters: $ids (Paper ids).
// Columns: id (Author id, each once).
UNWIND $ids AS pid
MATCH (a:Author)-[:AUTHORED]->(:Paper {id: pid})
RETURN DISTINCT a.id AS id
