// title: Topic hierarchy
// description: Each topic of a scheme ("arxiv" or "openalex") with the broader topic it is part of and the
//   number of papers about it; the graph view draws the tree.
// params: scheme (string) = "arxiv"; limit (integer) = 500
// columns: topic, level, broader, papers, path
MATCH path = (t:Topic {scheme: $scheme})-[:PART_OF]->(broader:Topic)
RETURN t.name AS topic, t.level AS level, broader.name AS broader, COUNT { (t)<-[:ABOUT]-(:Paper) } AS papers, path
ORDER BY broader, papers DESC, topic
LIMIT $limit
