// Reads a GraphML or GEXF file with graphology (graphology-graphml, graphology-gexf) and prints
// what it read as JSON: the graph's type, its counts, the distinct edge keys, the attributes of the
// nodes named on the command line and the edges between them.
//
//   node read_graph.js graphml|gexf FILE [NODE ...]
"use strict";

const fs = require("fs");
const Graph = require("graphology");

const [format, file, ...wanted] = process.argv.slice(2);
const parsers = { graphml: require("graphology-graphml"), gexf: require("graphology-gexf") };
if (!(format in parsers) || !file) {
  process.stderr.write("usage: node read_graph.js graphml|gexf FILE [NODE ...]\n");
  process.exit(2);
}
const graph = parsers[format].parse(Graph, fs.readFileSync(file, "utf8"));
const named = new Set(wanted);
const nodes = {};
for (const node of wanted) {
  nodes[node] = graph.hasNode(node) ? graph.getNodeAttributes(node) : null;
}
const edges = [];
graph.forEachEdge((key, attributes, source, target) => {
  if (named.has(source) && named.has(target)) edges.push({ key, source, target, attributes });
});
process.stdout.write(JSON.stringify({
  type: graph.type,
  multi: graph.multi,
  order: graph.order,
  size: graph.size,
  distinctEdgeKeys: new Set(graph.edges()).size,
  nodes,
  edges,
}, null, 1) + "\n");
