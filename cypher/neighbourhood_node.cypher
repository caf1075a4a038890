// One node by id, whatever its label: its type and the properties a graph view shows.
// Parameters: $id (a node id: Author, Paper, Topic or Institution).
// Columns: type ('author'|'paper'|'topic'|'institution', null when no node has that id), node (map).
OPTIONAL MATCH (a:Author {id: $id})
OPTIONAL MATCH (p:Paper {id: $id})
OPTIONAL MATCH (t:Topic {id: $id})
OPTIONAL MATCH (i:Institution {id: $id})
RETURN CASE
         WHEN a IS NOT NULL THEN 'author'
         WHEN p IS NOT NULL THEN 'paper'
         WHEN t IS NOT NULL THEN 'topic'
         WHEN i IS NOT NULL THEN 'institution'
       END AS type,
       coalesce(
         a {.id, eid: elementId(a), .name, .orcid, .works_count, .cited_by_count, .h_index},
         p {.id, eid: elementId(p), .title, .year, .date, .doi, .arxiv_id, .venue, .cited_by_count, .categories, .has_code,
            .code_url, .type, .author_count, .authors_complete},
         t {.id, eid: elementId(t), .name, .scheme, .level},
         i {.id, eid: elementId(i), .name, .ror, .country, .type}
       ) AS node
