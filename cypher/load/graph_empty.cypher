// Whether the graph holds any Paper or Author yet: a load into an empty graph has no identifiers to look up
// and no known people to cluster against (loaders.plan_pass then plans as the bulk loader does).
// Parameters: none.
// Columns: papers, authors (node counts, read from the count store).
RETURN COUNT { (:Paper) } AS papers, COUNT { (:Author) } AS authors
