// title: Papers with incomplete author lists
// description: Papers whose source cut the author list short ("et al.") or names more authors than the graph
//   holds: where co-author counts undercount. Useful to judge the data before trusting a ranking.
// params: limit (integer) = 100
// columns: paper_id, title, year, authors_in_graph, author_count, authors_complete, sources
MATCH (p:Paper)
WITH p, COUNT { (p)<-[:AUTHORED]-(:Author) } AS in_graph
WHERE p.authors_complete = false OR in_graph < coalesce(p.author_count, 0)
RETURN p.id AS paper_id, p.title AS title, p.year AS year, in_graph AS authors_in_graph,
       p.author_count AS author_count, p.authors_complete AS authors_complete, p.sources AS sources
ORDER BY p.author_count - in_graph DESC, title
LIMIT $limit
