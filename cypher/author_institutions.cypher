// An author's institutions over time (from AFFILIATED_WITH), latest first.
// Parameters: $id (Author.id), $limit.
// Columns: id, name, country, type, first_year, last_year, works.
MATCH (:Author {id: $id})-[r:AFFILIATED_WITH]->(i:Institution)
RETURN i.id AS id, coalesce(i.name, i.id) AS name, i.country AS country, i.type AS type,
       r.first_year AS first_year, r.last_year AS last_year, coalesce(r.works, 0) AS works
ORDER BY last_year DESC, works DESC, first_year DESC, id
LIMIT $limit
