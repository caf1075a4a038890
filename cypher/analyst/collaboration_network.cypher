// title: Collaboration network around a researcher
// description: The researcher, their co-authors with at least min_works joint works, and every co-author link
//   among those people: the graph view shows the groups they work in.
// params: author_id (string) = "name:geiger_m"; min_works (integer) = 1
// columns: author, coauthor, joint_works, a, link, b
MATCH (me:Author {id: $author_id})-[c:COAUTHOR]-(other:Author)
WHERE c.works >= $min_works
WITH me, collect(other) AS circle
WITH [me] + circle AS people
UNWIND people AS a
MATCH (a)-[link:COAUTHOR]->(b:Author)
WHERE b IN people
RETURN a.name AS author, b.name AS coauthor, link.works AS joint_works, a, link, b
ORDER BY joint_works DESC, author, coauthor
