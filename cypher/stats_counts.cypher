// How big the graph is: node counts per label and relationship counts per type (from the count store).
// Authors are people: an id merged away into another author (it keeps its node only to redirect, with its
// one MERGED_INTO edge) is not counted. A person split off another is a person, and counts.
// Parameters: none.
// Columns: authors, papers, topics, institutions, authored, about, affiliated_with, cites, part_of, coauthor.
CALL () { MATCH (n:Author) RETURN count(n) AS author_nodes }
CALL () { MATCH (:Author)-[r:MERGED_INTO]->() RETURN count(r) AS merged_away }
CALL () { MATCH (n:Paper) RETURN count(n) AS papers }
CALL () { MATCH (n:Topic) RETURN count(n) AS topics }
CALL () { MATCH (n:Institution) RETURN count(n) AS institutions }
CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authored }
CALL () { MATCH ()-[r:ABOUT]->() RETURN count(r) AS about }
CALL () { MATCH ()-[r:AFFILIATED_WITH]->() RETURN count(r) AS affiliated_with }
CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS cites }
CALL () { MATCH ()-[r:PART_OF]->() RETURN count(r) AS part_of }
CALL () { MATCH ()-[r:COAUTHOR]->() RETURN count(r) AS coauthor }
RETURN author_nodes - merged_away AS authors, papers, topics, institutions, authored, about, affiliated_with, cites,
       part_of, coauthor
