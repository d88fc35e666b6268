"""One fact of the seed release the format tests read back in every syntax, and the queries that ask for it:
«l'export regionale, che supera i 14 miliardi di euro» (Marche's exports to the world in 2024: more than
EUR 14 billion). Shared by tests/test_query_formats.py (kg query) and tests/test_endpoint_formats.py (kg serve)."""

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

KGO = "https://example.org/kg/ontology#"
FACT = URIRef("https://example.org/kg/id/release/000_c861f582b8da151e/fact/marche-world-2024")
PREFIX = f"PREFIX kgo: <{KGO}> "
DESCRIBE = PREFIX + 'DESCRIBE ?f WHERE { ?f kgo:factId "marche-world-2024" }'
CONSTRUCT = PREFIX + 'CONSTRUCT { ?f kgo:tradeValue ?v ; kgo:hedgeText ?h } WHERE { ?f kgo:factId "marche-world-2024" ; kgo:tradeValue ?v ; kgo:hedgeText ?h }'
SELECT = PREFIX + 'SELECT ?amount ?hedge WHERE { ?f kgo:factId "marche-world-2024" ; kgo:tradeValue ?amount ; kgo:hedgeText ?hedge }'
ASK_MORE = PREFIX + 'ASK { ?f kgo:factId "marche-world-2024" ; kgo:hedge kgo:moreThan }'  # «supera»
ASK_LESS = PREFIX + 'ASK { ?f kgo:factId "marche-world-2024" ; kgo:hedge kgo:lessThan }'


def seed_facts(graph: Graph) -> None:
    """The 14 billion, a decimal, and the hedge «supera» as the release says it, in Italian."""
    amounts = list(graph.objects(FACT, URIRef(KGO + "tradeValue")))
    assert [(a.toPython(), a.datatype) for a in amounts] == [(Decimal("14000000000"), XSD.decimal)]
    assert list(graph.objects(FACT, URIRef(KGO + "hedgeText"))) == [Literal("supera", lang="it")]
