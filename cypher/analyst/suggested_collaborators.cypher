// title: Suggested collaborators (co-authors of co-authors)
// description: People two steps away in the co-author graph who have not yet published with the researcher,
//   ranked by how many co-authors they share with them, and who those shared co-authors are.
// params: author_id (string) = "name:geiger_m"; limit (integer) = 20
// columns: candidate_id, candidate, shared_coauthors, through
MATCH (me:Author {id: $author_id})-[:COAUTHOR]-(mid:Author)-[:COAUTHOR]-(candidate:Author)
WHERE candidate <> me AND NOT (me)-[:COAUTHOR]-(candidate)
RETURN candidate.id AS candidate_id, candidate.name AS candidate, count(DISTINCT mid) AS shared_coauthors,
       collect(DISTINCT mid.name)[..5] AS through
ORDER BY shared_coauthors DESC, candidate
LIMIT $limit
