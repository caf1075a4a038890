// title: Search paper titles (full text)
// description: Papers whose titles match a Lucene full-text search (words, "quoted phrases", prefix*, AND/OR),
//   best match first, with their authors.
// params: search (string) = "equivariant"; limit (integer) = 25
// columns: paper_id, title, year, score, authors
CALL db.index.fulltext.queryNodes("paper_titles", $search) YIELD node, score
WITH node AS p, score
ORDER BY score DESC
LIMIT $limit
OPTIONAL MATCH (a:Author)-[:AUTHORED]->(p)
RETURN p.id AS paper_id, p.title AS title, p.year AS year, round(score, 3) AS score, collect(a.name) AS authors
ORDER BY score DESC, title
