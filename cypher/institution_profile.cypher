// One institution: its properties and how many authors and works are linked to it.
// Parameters: $id (Institution.id).
// Columns: id, name, ror, country, type, authors (affiliated authors), first_year, last_year (span of the
//   affiliations), works (distinct works with an authorship there, from AUTHORED.institutions).
MATCH (i:Institution {id: $id})
CALL (i) {
  OPTIONAL MATCH (a:Author)-[r:AFFILIATED_WITH]->(i)
  RETURN count(a) AS authors, min(r.first_year) AS first_year, max(r.last_year) AS last_year
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:AFFILIATED_WITH]-(:Author)-[r:AUTHORED]->(p:Paper)
  WHERE i.id IN coalesce(r.institutions, [])
  RETURN count(DISTINCT p) AS works
}
RETURN i.id AS id, coalesce(i.name, i.id) AS name, i.ror AS ror, i.country AS country, i.type AS type,
       authors, works, first_year, last_year
