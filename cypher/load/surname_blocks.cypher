// The name blocks ('name:<last>_<first initial>') of each surname the graph holds: a surname seen under few
// first initials is a rare one, and loaders.people weighs the evidence for its initials-only bylines accordingly.
// The prefix search uses the author_block index (a hint: planned on a young graph, a label scan per surname).
// Parameters: $surnames ('name:<last>', as loaders.people.surname gives them).
// Columns: surname, blocks (a list).
UNWIND $surnames AS surname
OPTIONAL MATCH (a:Author) USING INDEX a:Author(block) WHERE a.block STARTS WITH surname + '_'
RETURN surname, collect(DISTINCT a.block) AS blocks
