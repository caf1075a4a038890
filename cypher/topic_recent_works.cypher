// The most recent works about a topic (or its narrower topics), with their first authors.
// Parameters: $id (Topic.id), $limit, $max_authors.
// Columns: id, title, date, year, venue, categories, authors [{id, name}], author_count, authors_complete.
MATCH (:Topic {id: $id})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)
WITH DISTINCT p ORDER BY coalesce(p.date, toString(p.year), '') DESC, p.id LIMIT $limit
CALL (p) {
  MATCH (x:Author)-[r:AUTHORED]->(p)
  WITH x, r ORDER BY r.position, x.id
  RETURN collect({id: x.id, name: coalesce(x.name, x.id)}) AS all_authors
}
RETURN p.id AS id, p.title AS title, p.date AS date, p.year AS year, p.venue AS venue,
       coalesce(p.categories, []) AS categories, all_authors[..$max_authors] AS authors,
       coalesce(p.author_count, size(all_authors)) AS author_count,
       coalesce(p.authors_complete, true) AS authors_complete
ORDER BY coalesce(date, toString(year), '') DESC, id
