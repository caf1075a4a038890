// title: Top collaborators of a researcher
// description: The co-authors with the most joint works, with the first and last year they published together.
// params: author_id (string) = "name:geiger_m"; limit (integer) = 20
// columns: collaborator_id, collaborator, joint_works, first_year, last_year
MATCH (:Author {id: $author_id})-[c:COAUTHOR]-(b:Author)
RETURN b.id AS collaborator_id, b.name AS collaborator, c.works AS joint_works,
       c.first_year AS first_year, c.last_year AS last_year
ORDER BY joint_works DESC, last_year DESC, collaborator
LIMIT $limit
