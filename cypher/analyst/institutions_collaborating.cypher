// title: Institutions that collaborate most
// description: Pairs of institutions ranked by the papers whose authors come from both (from the institutions
//   given on each authorship), with the years of their first and last joint paper.
// params: limit (integer) = 25
// columns: institution_1, country_1, institution_2, country_2, joint_papers, first_year, last_year
MATCH (p:Paper)<-[r:AUTHORED]-(:Author)
WHERE size(coalesce(r.institutions, [])) > 0
UNWIND r.institutions AS inst
WITH p, collect(DISTINCT inst) AS insts
WHERE size(insts) > 1
UNWIND insts AS id1
UNWIND insts AS id2
WITH id1, id2, p
WHERE id1 < id2
WITH id1, id2, count(p) AS joint_papers, min(p.year) AS first_year, max(p.year) AS last_year
ORDER BY joint_papers DESC
LIMIT $limit
MATCH (i1:Institution {id: id1}), (i2:Institution {id: id2})
RETURN i1.name AS institution_1, i1.country AS country_1, i2.name AS institution_2, i2.country AS country_2,
       joint_papers, first_year, last_year
ORDER BY joint_papers DESC, institution_1, institution_2
