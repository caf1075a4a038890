// How big the graph is: node counts per label and relationship counts per type (from the count store).
// Parameters: none.
// Columns: authors, papers, topics, institutions, authored, about, affiliated_with, cites, part_of, coauthor.
CALL () { MATCH (n:Author) RETURN count(n) AS authors }
CALL () { MATCH (n:Paper) RETURN count(n) AS papers }
CALL () { MATCH (n:Topic) RETURN count(n) AS topics }
CALL () { MATCH (n:Institution) RETURN count(n) AS institutions }
CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authored }
CALL () { MATCH ()-[r:ABOUT]->() RETURN count(r) AS about }
CALL () { MATCH ()-[r:AFFILIATED_WITH]->() RETURN count(r) AS affiliated_with }
CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS cites }
CALL () { MATCH ()-[r:PART_OF]->() RETURN count(r) AS part_of }
CALL () { MATCH ()-[r:COAUTHOR]->() RETURN count(r) AS coauthor }
RETURN authors, papers, topics, institutions, authored, about, affiliated_with, cites, part_of, coauthor
