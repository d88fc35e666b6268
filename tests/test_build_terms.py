"""The terms a build writes: literals shared within a chunk of releases, and their N-Triples lines.

A chunk's builders share one :class:`kg.rdf.builder.Literals`, and N-Triples lines are written from the
literals by identity; these tests hold both to what rdflib itself writes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.pipeline.parts import ntriples_lines
from kg.rdf.builder import Literals

EX = "http://example.org/"


def test_a_literal_asked_for_twice_is_made_once_and_equals_rdflibs():
    literals = Literals()
    first = literals(1450, datatype=XSD.nonNegativeInteger)
    assert literals(1450, datatype=XSD.nonNegativeInteger) is first
    assert first == Literal(1450, datatype=XSD.nonNegativeInteger)
    assert literals("Ancona", "it") is literals("Ancona", "it")
    assert literals("Ancona", "it") != literals("Ancona", "en")
    assert literals(date(2026, 2, 20), datatype=XSD.date) == Literal("2026-02-20", datatype=XSD.date)


def test_values_python_takes_as_equal_stay_apart_when_their_literals_differ():
    """1 and True are equal in Python and hash alike, but an integer and a boolean in RDF; 1.0 and 1.00 are
    equal Decimals, but a figure's digits are written as the release stated them."""
    literals = Literals()
    assert literals(1) == Literal(1) and literals(True) == Literal(True)
    assert literals(1).datatype == XSD.integer and literals(True).datatype == XSD.boolean
    assert str(literals.decimal(Decimal("1.0"))) == "1.0"
    assert str(literals.decimal(Decimal("1.00"))) == "1.00"
    assert str(literals.decimal(Decimal("7500000"))) == "7500000.0"
    with pytest.raises(TypeError, match=r"Literals\.decimal"):  # never by value, where 1.0 would stand for 1.00
        literals(Decimal("1.00"))


def test_lines_are_rdflibs_n_triples_sorted():
    triples = {
        (URIRef(EX + "ancona"), URIRef(EX + "name"), Literal("Ancona", lang="it")),
        (URIRef(EX + "ancona"), URIRef(EX + "quote"), Literal('disse "cresce"\n')),
        (URIRef(EX + "marche"), URIRef(EX + "exports"), Literal("14000000000.0", datatype=XSD.decimal)),
        (URIRef(EX + "marche"), URIRef(EX + "within"), URIRef(EX + "italy")),
    }
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    expected = sorted(line.encode() for line in graph.serialize(format="nt").splitlines() if line)
    assert ntriples_lines(triples) == expected


def test_literals_made_one_by_one_and_let_go_are_each_written_with_their_own_value():
    """Lines are written from each literal by its identity: a literal let go as soon as it is written (the
    triples come from a generator) must not lend its identity, and its line, to the next one."""
    subject, predicate = URIRef(EX + "figure"), URIRef(EX + "value")
    lines = ntriples_lines((subject, predicate, Literal(str(n), datatype=XSD.decimal)) for n in range(2000))
    assert len(lines) == 2000
    assert {line.split(b'"')[1] for line in lines} == {str(n).encode() for n in range(2000)}
