// title: A researcher's papers, topics and institutions
// description: The researcher with their papers, the topics of those papers and their institutions, as a graph
//   (one row per path).
// params: author_id (string) = "name:geiger_m"; limit (integer) = 500
// columns: path
MATCH path = (:Author {id: $author_id})-[:AUTHORED]->(:Paper)-[:ABOUT]->(:Topic)
RETURN path
LIMIT $limit
UNION
MATCH path = (:Author {id: $author_id})-[:AFFILIATED_WITH]->(:Institution)
RETURN path
