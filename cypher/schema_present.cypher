// The indexes that exist now, constraints' own indexes included (named as their constraint): what
// graph.schema.ensure_schema compares with cypher/schema.cypher, to create only what is missing.
// Parameters: none.
// Columns: name, state ('ONLINE', 'POPULATING', 'FAILED'), constraint (true: the index backs a constraint).
SHOW INDEXES YIELD name, state, owningConstraint
RETURN name, state, owningConstraint IS NOT NULL AS constraint
