// title: Papers citing a researcher's work
// description: Papers in the graph that cite one of the researcher's works (citations come from OpenAlex
//   references and Paperscape), most recent first, with the work they cite.
// params: author_id (string) = "openalex:A5108104297"; limit (integer) = 100
// columns: citing_id, citing_paper, year, cited_id, cited_work
MATCH (:Author {id: $author_id})-[:AUTHORED]->(w:Paper)<-[:CITES]-(c:Paper)
RETURN c.id AS citing_id, c.title AS citing_paper, c.year AS year, w.id AS cited_id, w.title AS cited_work
ORDER BY year DESC, citing_paper
LIMIT $limit
