// Friends of friends over COAUTHOR, ranked by Adamic-Adar: the sum over shared co-authors z of 1 / log(degree(z)),
// so that prolific hubs count less. Existing co-authors and the author are left out.
// Parameters: $id (Author.id), $limit.
// Columns: id, name, works_count, adamic_adar,
//   shared [{id, name, degree, with_author (joint works of z and the author), with_candidate (of z and the candidate)}].
MATCH (a:Author {id: $id})-[c1:COAUTHOR]-(z:Author)
WITH a, z, c1.works AS with_author, COUNT { (z)-[:COAUTHOR]-() } AS degree
MATCH (z)-[c2:COAUTHOR]-(c:Author)
WHERE c <> a AND NOT EXISTS { (a)-[:COAUTHOR]-(c) }
WITH c, sum(1.0 / log(degree)) AS adamic_adar,
     collect({id: z.id, name: coalesce(z.name, z.id), degree: degree, with_author: with_author,
              with_candidate: c2.works}) AS shared
RETURN c.id AS id, coalesce(c.name, c.id) AS name, coalesce(c.works_count, 0) AS works_count, adamic_adar, shared
ORDER BY adamic_adar DESC, size(shared) DESC, id
LIMIT $limit
