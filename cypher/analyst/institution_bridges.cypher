// title: Researchers who bridge two institutions
// description: Researchers affiliated with both institutions, with their years and works at each. Leave an
//   institution id empty ("") to match any institution, e.g. to list everyone who links two places.
// params: institution_a (string) = ""; institution_b (string) = ""; limit (integer) = 50
// columns: author_id, author, institution_1, years_1, institution_2, years_2
MATCH (i1:Institution)<-[r1:AFFILIATED_WITH]-(a:Author)-[r2:AFFILIATED_WITH]->(i2:Institution)
WHERE i1.id < i2.id
  AND ($institution_a = "" OR $institution_a IN [i1.id, i2.id])
  AND ($institution_b = "" OR $institution_b IN [i1.id, i2.id])
RETURN a.id AS author_id, a.name AS author,
       i1.name AS institution_1, toString(r1.first_year) + "-" + toString(r1.last_year) AS years_1,
       i2.name AS institution_2, toString(r2.first_year) + "-" + toString(r2.last_year) AS years_2
ORDER BY r1.works + r2.works DESC, author
LIMIT $limit
