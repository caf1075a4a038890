// Naive loader: one co-author pair of one paper, counted into the pair's single COAUTHOR edge.
// Parameters: $a, $b (Author ids, $a < $b: the edge goes from the smaller id to the larger), $year (int or null).
// Columns: none.
MATCH (a:Author {id: $a}), (b:Author {id: $b})
MERGE (a)-[r:COAUTHOR]->(b)
ON CREATE SET r.works = 1, r.first_year = $year, r.last_year = $year
ON MATCH SET
  r.works = r.works + 1,
  r.first_year = CASE WHEN $year < r.first_year OR r.first_year IS NULL THEN $year ELSE r.first_year END,
  r.last_year = CASE WHEN $year > r.last_year OR r.last_year IS NULL THEN $year ELSE r.last_year END
