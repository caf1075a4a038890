// title: Researchers who switched topics
// description: Researchers whose main topic (the one with most of their papers, at the given level: "category"
//   for arXiv, "topic" for OpenAlex) before split_year differs from their main topic from split_year on.
// params: split_year (integer) = 2021; level (string) = "category"; min_papers (integer) = 1; limit (integer) = 50
// columns: author_id, author, topic_before, papers_before, topic_after, papers_after
MATCH (a:Author)-[:AUTHORED]->(p:Paper)-[:ABOUT]->(t:Topic {level: $level})
WHERE p.year IS NOT NULL
WITH a, t,
     sum(CASE WHEN p.year < $split_year THEN 1 ELSE 0 END) AS before,
     sum(CASE WHEN p.year >= $split_year THEN 1 ELSE 0 END) AS after
WITH a,
     reduce(best = null, x IN collect({topic: t, n: before}) |
            CASE WHEN x.n > coalesce(best.n, 0) THEN x ELSE best END) AS earlier,
     reduce(best = null, x IN collect({topic: t, n: after}) |
            CASE WHEN x.n > coalesce(best.n, 0) THEN x ELSE best END) AS later
WHERE earlier IS NOT NULL AND later IS NOT NULL AND earlier.topic <> later.topic
  AND earlier.n >= $min_papers AND later.n >= $min_papers
RETURN a.id AS author_id, a.name AS author, earlier.topic.name AS topic_before, earlier.n AS papers_before,
       later.topic.name AS topic_after, later.n AS papers_after
ORDER BY papers_before + papers_after DESC, author
LIMIT $limit
