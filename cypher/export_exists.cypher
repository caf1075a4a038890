// Whether the author, topic or institution a network export names exists (to tell an unknown id from an
// empty network). Each branch uses its label's id constraint; only the one $kind names can match.
// Parameters: $kind ('author', 'topic' or 'institution'), $id.
// Columns: id (one row when it exists, none otherwise).
CALL () {
  MATCH (n:Author {id: $id}) WHERE $kind = 'author' RETURN n
  UNION
  MATCH (n:Topic {id: $id}) WHERE $kind = 'topic' RETURN n
  UNION
  MATCH (n:Institution {id: $id}) WHERE $kind = 'institution' RETURN n
}
RETURN n.id AS id
LIMIT 1
