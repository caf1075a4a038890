// Element ids of nodes given by id and type (to join nodes already in a view to a new expansion).
// Parameters: $authors, $papers, $topics, $institutions (lists of ids).
// Columns: id, eid.
CALL () {
  UNWIND $authors AS id MATCH (n:Author {id: id}) RETURN n
  UNION ALL
  UNWIND $papers AS id MATCH (n:Paper {id: id}) RETURN n
  UNION ALL
  UNWIND $topics AS id MATCH (n:Topic {id: id}) RETURN n
  UNION ALL
  UNWIND $institutions AS id MATCH (n:Institution {id: id}) RETURN n
}
RETURN n.id AS id, elementId(n) AS eid
