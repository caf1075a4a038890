// One page of an author's works, newest first, each with its authors in position order (at most $max_authors).
// Parameters: $id (Author.id), $limit, $offset, $max_authors.
// Columns: id, title, date, year, categories, venue, type, has_code, code_url, abstract, doi, arxiv_id,
//   cited_by_count, authors_complete, author_count, authors [{id, name}], topics [{id, name}].
MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)
WITH p ORDER BY coalesce(p.date, toString(p.year), '') DESC, p.title, p.id
SKIP $offset LIMIT $limit
CALL (p) {
  MATCH (x:Author)-[r:AUTHORED]->(p)
  WITH x, r ORDER BY r.position, x.id
  RETURN collect({id: x.id, name: coalesce(x.name, x.id)}) AS all_authors
}
CALL (p) {
  OPTIONAL MATCH (p)-[:ABOUT]->(t:Topic)
  RETURN collect({id: t.id, name: coalesce(t.name, t.id)}) AS topics
}
RETURN p.id AS id, p.title AS title, p.date AS date, p.year AS year, coalesce(p.categories, []) AS categories,
       p.venue AS venue, p.type AS type, coalesce(p.has_code, p.code_url IS NOT NULL) AS has_code,
       p.code_url AS code_url, p.abstract AS abstract, p.doi AS doi, p.arxiv_id AS arxiv_id,
       coalesce(p.cited_by_count, 0) AS cited_by_count, coalesce(p.authors_complete, true) AS authors_complete,
       coalesce(p.author_count, size(all_authors)) AS author_count, all_authors[..$max_authors] AS authors, topics
