// Load benchmark: is the derived data there after a load? (bench/load.py checks it after each run)
// Parameters: none.
// Columns: papers, authors, authored, coauthor (relationship count), authors_without_works_count,
//   works_count_sum (sum of Author.works_count: equals authored when derived counts are complete),
//   authors_with_h_index, affiliated_with, about.
CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
CALL () { MATCH (a:Author) RETURN count(a) AS authors, sum(a.works_count) AS works_count_sum,
          count(a.h_index) AS authors_with_h_index,
          count(CASE WHEN a.works_count IS NULL THEN 1 END) AS authors_without_works_count }
CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authored }
CALL () { MATCH ()-[r:COAUTHOR]->() RETURN count(r) AS coauthor }
CALL () { MATCH ()-[r:AFFILIATED_WITH]->() RETURN count(r) AS affiliated_with }
CALL () { MATCH ()-[r:ABOUT]->() RETURN count(r) AS about }
RETURN papers, authors, authored, coauthor, authors_without_works_count, works_count_sum,
       authors_with_h_index, affiliated_with, about
