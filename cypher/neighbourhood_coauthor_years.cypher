// The co-authorships among a set of researchers counted over works from $year_from to $year_to (the edges of a
// year-range view; the other relationship types come from neighbourhood_edges).
// Parameters: $authors (element ids of Author nodes), $year_from, $year_to (inclusive).
// Columns: edges (one list of [source, 'COAUTHOR', target, joint works in the range]).
UNWIND $authors AS ae
MATCH (a) WHERE elementId(a) = ae
MATCH (a)-[r:COAUTHOR]->(b:Author) WHERE elementId(b) IN $authors
  AND coalesce(r.first_year, $year_from) <= $year_to AND coalesce(r.last_year, $year_to) >= $year_from
CALL (a, b) {
  MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b) WHERE $year_from <= p.year <= $year_to
  RETURN count(p) AS joint
}
WITH a, b, joint WHERE joint > 0
RETURN collect([a.id, 'COAUTHOR', b.id, joint]) AS edges
