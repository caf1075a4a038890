// How many neighbours one node has per expansion (relationship type and direction), for the expand buttons.
// Keys not applying to the node's label are 0. WORKS_ON is derived: an author and the topics of their papers.
// Parameters: $id (a node id).
// Columns: counts (map: 'AUTHORED:out', 'COAUTHOR:both', 'WORKS_ON:out', 'AFFILIATED_WITH:out', 'AUTHORED:in',
// 'ABOUT:out', 'CITES:out', 'CITES:in', 'ABOUT:in', 'WORKS_ON:in', 'PART_OF:out', 'PART_OF:in',
// 'AFFILIATED_WITH:in' -> count).
OPTIONAL MATCH (a:Author {id: $id})
OPTIONAL MATCH (p:Paper {id: $id})
OPTIONAL MATCH (t:Topic {id: $id})
OPTIONAL MATCH (i:Institution {id: $id})
RETURN {
  `AUTHORED:out`: COUNT { (a)-[:AUTHORED]->(:Paper) },
  `COAUTHOR:both`: COUNT { (a)-[:COAUTHOR]-(:Author) },
  `WORKS_ON:out`: COUNT { MATCH (a)-[:AUTHORED]->(:Paper)-[:ABOUT]->(x:Topic) RETURN DISTINCT x },
  `AFFILIATED_WITH:out`: COUNT { (a)-[:AFFILIATED_WITH]->(:Institution) },
  `AUTHORED:in`: COUNT { (p)<-[:AUTHORED]-(:Author) },
  `ABOUT:out`: COUNT { (p)-[:ABOUT]->(:Topic) },
  `CITES:out`: COUNT { (p)-[:CITES]->(:Paper) },
  `CITES:in`: COUNT { (p)<-[:CITES]-(:Paper) },
  `ABOUT:in`: COUNT { (t)<-[:ABOUT]-(:Paper) },
  `WORKS_ON:in`: COUNT { MATCH (t)<-[:ABOUT]-(:Paper)<-[:AUTHORED]-(x:Author) RETURN DISTINCT x },
  `PART_OF:out`: COUNT { (t)-[:PART_OF]->(:Topic) },
  `PART_OF:in`: COUNT { (t)<-[:PART_OF]-(:Topic) },
  `AFFILIATED_WITH:in`: COUNT { (i)<-[:AFFILIATED_WITH]-(:Author) }
} AS counts
