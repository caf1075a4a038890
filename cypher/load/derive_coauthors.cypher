// COAUTHOR of the given authors recomputed in full (those marked :StaleCoauthors): one relationship per pair, from the smaller id to the larger, with the
// number of joint papers and their first and last year, counted over papers with at most
// $max_authors authors. Pairs no longer backed by a joint paper are removed. The author is marked :Stale
// (its ranked top co-authors are recomputed by derive_top_coauthors, which runs after this).
// Parameters: $ids (Author ids), $max_authors.
// Columns: none.
UNWIND $ids AS id
MATCH (x:Author {id: id})
SET x:Stale
WITH x
CALL (x) {
  MATCH (x)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(y:Author)
  WHERE p.author_count <= $max_authors AND y <> x
  WITH x, y, count(DISTINCT p) AS works, min(p.year) AS first, max(p.year) AS last
  WITH y, works, first, last,
       CASE WHEN x.id < y.id THEN x ELSE y END AS a,
       CASE WHEN x.id < y.id THEN y ELSE x END AS b
  MERGE (a)-[c:COAUTHOR]->(b)
  SET c.works = works, c.first_year = first, c.last_year = last
  RETURN collect(y.id) AS keep
}
// Read from x's own relationships (a pattern comprehension), so that no plan made while the graph was small
// scans every Author per x (see derive_affiliations).
CALL (x, keep) {
  UNWIND [(x)-[c:COAUTHOR]-(y) WHERE NOT y.id IN keep | c] AS c
  DELETE c
}
