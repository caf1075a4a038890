// title: Schema overview
// description: The labels and relationship types in the graph and how they connect, as Neo4j reports them
//   (db.schema.visualization); the graph view draws the schema.
// params: none
// columns: nodes, relationships
CALL db.schema.visualization() YIELD nodes, relationships
RETURN nodes, relationships
