// Naive loader: one author's affiliation on one paper, counted into AFFILIATED_WITH.
// Parameters: $author_id, $id (Institution.id), $name (institution name), $year (int or null).
// Columns: none.
MATCH (a:Author {id: $author_id})
MERGE (i:Institution {id: $id})
ON CREATE SET i.name = $name
MERGE (a)-[r:AFFILIATED_WITH]->(i)
ON CREATE SET r.works = 1, r.first_year = $year, r.last_year = $year
ON MATCH SET
  r.works = r.works + 1,
  r.first_year = CASE WHEN $year < r.first_year OR r.first_year IS NULL THEN $year ELSE r.first_year END,
  r.last_year = CASE WHEN $year > r.last_year OR r.last_year IS NULL THEN $year ELSE r.last_year END
