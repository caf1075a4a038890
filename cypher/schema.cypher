// The schema: uniqueness constraints, lookup indexes and full-text indexes.
// Run before the first write (graph.schema.ensure_schema); every statement is idempotent.
// The only file in cypher/ with more than one statement: they are split on ';'.
CREATE CONSTRAINT author_id IF NOT EXISTS FOR (a:Author) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (t:Topic) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (i:Institution) REQUIRE i.id IS UNIQUE;
CREATE INDEX paper_doi IF NOT EXISTS FOR (p:Paper) ON (p.doi);
CREATE INDEX paper_arxiv_id IF NOT EXISTS FOR (p:Paper) ON (p.arxiv_id);
CREATE INDEX paper_openalex_id IF NOT EXISTS FOR (p:Paper) ON (p.openalex_id);
CREATE INDEX paper_year IF NOT EXISTS FOR (p:Paper) ON (p.year);
CREATE INDEX author_orcid IF NOT EXISTS FOR (a:Author) ON (a.orcid);
CREATE INDEX author_block IF NOT EXISTS FOR (a:Author) ON (a.block);
CREATE INDEX author_works IF NOT EXISTS FOR (a:Author) ON (a.works_count);
CREATE INDEX institution_ror IF NOT EXISTS FOR (i:Institution) ON (i.ror);
CREATE FULLTEXT INDEX author_names IF NOT EXISTS FOR (a:Author) ON EACH [a.name, a.name_variants];
CREATE FULLTEXT INDEX paper_titles IF NOT EXISTS FOR (p:Paper) ON EACH [p.title];
CREATE FULLTEXT INDEX topic_names IF NOT EXISTS FOR (t:Topic) ON EACH [t.name, t.id];
CREATE FULLTEXT INDEX institution_names IF NOT EXISTS FOR (i:Institution) ON EACH [i.name];
CREATE CONSTRAINT pending_citation_id IF NOT EXISTS FOR (w:PendingCitation) REQUIRE w.id IS UNIQUE
