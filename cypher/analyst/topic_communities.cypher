// title: Co-author communities in a topic
// description: Researchers with at least min_papers papers about a topic (or a narrower one), and the co-author
//   links between them. Each connected cluster in the graph view is a community working on the topic.
// params: topic_id (string) = "arxiv:cs.LG"; min_papers (integer) = 1; limit (integer) = 1000
// columns: author, coauthor, joint_works, a, link, b
MATCH (:Topic {id: $topic_id})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)<-[:AUTHORED]-(a:Author)
WITH a, count(DISTINCT p) AS papers
WHERE papers >= $min_papers
WITH collect(a) AS members
UNWIND members AS a
MATCH (a)-[link:COAUTHOR]->(b:Author)
WHERE b IN members
RETURN a.name AS author, b.name AS coauthor, link.works AS joint_works, a, link, b
ORDER BY joint_works DESC, author, coauthor
LIMIT $limit
