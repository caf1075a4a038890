// title: Most central researchers of a topic
// description: Researchers of a topic (or a narrower one) ranked by degree centrality inside it: how many distinct
//   co-authors they have among the topic's researchers, then by their papers in the topic.
// params: topic_id (string) = "arxiv:cs.LG"; limit (integer) = 25
// columns: author_id, author, coauthors_in_topic, papers_in_topic, citations
MATCH (:Topic {id: $topic_id})<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)<-[:AUTHORED]-(a:Author)
WITH a, count(DISTINCT p) AS papers
WITH collect({author: a, papers: papers}) AS rows, collect(a) AS members
UNWIND rows AS row
WITH row.author AS a, row.papers AS papers, members
OPTIONAL MATCH (a)-[:COAUTHOR]-(b:Author)
WHERE b IN members
RETURN a.id AS author_id, a.name AS author, count(DISTINCT b) AS coauthors_in_topic,
       papers AS papers_in_topic, a.cited_by_count AS citations
ORDER BY coauthors_in_topic DESC, papers_in_topic DESC, author
LIMIT $limit
