// Every author of the given papers, as the graph holds them now (the batch's new edges included): for
// papers that had authors before this batch (from another source or file), whose pairs with the new
// authors the writer must count.
// Parameters: $ids (Paper ids).
// Columns: paper, authors (Author ids), eids (their elementIds), outs, ins (their COAUTHOR relationships
//   out and in); the lists are parallel.
UNWIND $ids AS id
MATCH (:Paper {id: id})<-[:AUTHORED]-(a:Author)
RETURN id AS paper, collect(a.id) AS authors, collect(elementId(a)) AS eids,
       collect(COUNT { (a)-[:COAUTHOR]->() }) AS outs, collect(COUNT { (a)<-[:COAUTHOR]-() }) AS ins
