// What the feed compares across a load, for the followed authors only: their works, co-authors,
// in-graph citing papers, institutions and top five topics (ranked as the profile ranks them).
// Parameters: $ids (Author ids), $top (how many topics count as "top", 5).
// Columns: id, name, works [{id, title, date, year}], coauthors [{id, name}], citing [{id, title, date, year, cited}],
//   institutions [{id, name, first_year, last_year}], topics [{id, name}].
UNWIND $ids AS author_id
MATCH (a:Author {id: author_id})
RETURN a.id AS id, coalesce(a.name, a.id) AS name,
       COLLECT {
         MATCH (a)-[:AUTHORED]->(p:Paper)
         RETURN {id: p.id, title: p.title, date: p.date, year: p.year}
       } AS works,
       COLLECT {
         MATCH (a)-[:COAUTHOR]-(b:Author)
         RETURN {id: b.id, name: coalesce(b.name, b.id)}
       } AS coauthors,
       COLLECT {
         MATCH (a)-[:AUTHORED]->(w:Paper)<-[:CITES]-(c:Paper)
         WITH c, min(w.id) AS cited
         RETURN {id: c.id, title: c.title, date: c.date, year: c.year, cited: cited}
       } AS citing,
       COLLECT {
         MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
         RETURN {id: i.id, name: coalesce(i.name, i.id), first_year: r.first_year, last_year: r.last_year}
       } AS institutions,
       COLLECT {
         MATCH (a)-[:AUTHORED]->(p:Paper)-[:ABOUT]->(t:Topic)
         WITH t, count(DISTINCT p) AS works
         ORDER BY works DESC, t.id
         LIMIT $top
         RETURN {id: t.id, name: coalesce(t.name, t.id)}
       } AS topics
