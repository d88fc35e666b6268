"""SHACL validation with pyshacl, and a report a person can read.

``validate_graph(graph)`` returns a :class:`Report`: ``conforms``, the pyshacl
report graph, and one :class:`Finding` per result naming the fact by its label,
the rule (the shape's name), the message and the sentence of the release that
states the fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import InputError
from kg.rdf.namespaces import KGO, OA, SH, ordered
from kg.rdf.vocabularies import Ontology
from kg.resources import SHAPES_FILE


@dataclass(frozen=True)
class Finding:
    """One finding of the validation, ready to print. ``severity`` is the SHACL severity's local name:
    ``Violation`` (the graph does not conform), ``Warning`` or ``Info`` (it conforms, and a person should
    look: a figure another release restates with another value)."""

    node: str
    label: str
    rule: str
    message: str
    sentence: str | None
    severity: str

    @property
    def blocking(self) -> bool:
        return self.severity == "Violation"

    def text(self) -> str:
        mark = "✗" if self.blocking else "!"
        lines = [f"{mark} {self.label}", f"  rule: {self.rule}", f"  problem: {self.message}"]
        if self.sentence:
            lines.append(f"  sentence: «{self.sentence}»")
        return "\n".join(lines)


@dataclass
class Report:
    """What the validation found: the graph conforms when no finding is a violation (warnings and
    infos are reported, and do not stop a build)."""

    conforms: bool
    findings: list[Finding]

    @property
    def violations(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocking]

    def counts(self) -> str:
        """"2 violations", "0 violations, 1 warning"."""
        warnings = f", {_plural(len(self.warnings), 'warning')}" if self.warnings else ""
        return _plural(len(self.violations), "violation") + warnings

    def text(self) -> str:
        head = f"Conforms: {'yes' if self.conforms else 'no'} ({self.counts()})."
        return "\n".join([head, *(finding.text() for finding in self.violations + self.warnings)])

    def summary(self, shown: int = 5) -> str:
        """The warnings of a conforming build in a few lines: how many of each rule, then the first ``shown``."""
        warnings = self.warnings
        if not warnings:
            return ""
        rules: dict[str, int] = {}
        for finding in warnings:
            rules[finding.rule] = rules.get(finding.rule, 0) + 1
        lines = [f"{_plural(len(warnings), 'warning')} (the graph conforms and was written): "
                 + "; ".join(f"{count} × {rule}" for rule, count in sorted(rules.items()))]
        lines += [finding.text() for finding in warnings[:shown]]
        if len(warnings) > shown:
            lines.append(f"… and {len(warnings) - shown} more: kg validate lists them all.")
        return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def shapes_graph(ontology=None) -> Graph:
    """The shapes of the ontology folder (``shapes.ttl``)."""
    return Ontology.of(ontology).file(SHAPES_FILE)


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


SETS = ("core", "release", "corpus", "checks")


def split_shapes(ontology=None) -> dict[str, Graph]:
    """The shapes in sets (:func:`shape_set` makes each): ``core``, ``release``, ``corpus`` and ``checks``."""
    return {name: shape_set(ontology, name) for name in SETS}


def shape_set(ontology=None, which: str = "core") -> Graph:
    """One set of the shapes, made once per :class:`~kg.rdf.vocabularies.Ontology` when first asked for:

    - ``core``: the per-class shapes (core SHACL), flattened, without the SPARQL checks;
    - ``release``: the SPARQL checks within a release (kgs:ReleaseChecks, kgs:ReleaseWarnings);
    - ``corpus``: across releases (kgs:CorpusChecks, kgs:CorpusWarnings);
    - ``checks``: both (what a build runs on the whole graph).

    The ``*Warnings`` node shapes carry ``sh:severity sh:Warning``: what they find does not stop a
    build. A SPARQL set holds its node shapes and what they reach (their constraints, messages and
    prefix declarations): about a hundred triples, not the thousand-odd of the per-class shapes, which
    pyshacl would read again for nothing on every run of the checks.

    Flattening: each ``sh:property`` of a node shape with targets becomes a shape
    with those same targets. SHACL gives the same results either way (a value
    node of a property shape is checked against it whichever way the focus node
    was reached), but pyshacl builds a nested property shape's constraints once
    per focus node and a targeted one once per validation: about 4 times faster
    on a corpus. The reports name the owning node shape from the shapes as written.
    """
    if which not in SETS:
        raise ValueError(f"no set of shapes named {which!r} (one of {', '.join(SETS)})")
    return Ontology.of(ontology).derived(f"shapes {which}", lambda ontology: _shape_set(ontology, which))


def _set_roots() -> dict[str, tuple]:
    from kg.rdf.namespaces import KGS

    release, corpus = (KGS.ReleaseChecks, KGS.ReleaseWarnings), (KGS.CorpusChecks, KGS.CorpusWarnings)
    return {"release": release, "corpus": corpus, "checks": release + corpus}


def _reached(shapes: Graph, roots) -> list[tuple]:
    """The triples of ``roots`` and of every node they reach (by any property but rdf:type)."""
    seen: set = set()
    todo = list(roots)
    found = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            found.append((node, p, o))
            if p != RDF.type and isinstance(o, (URIRef, BNode)):
                todo.append(o)
    return found


def _shape_set(ontology: Ontology, which: str) -> Graph:
    from kg.rdf.namespaces import new_graph

    shapes = ontology.file(SHAPES_FILE)
    roots = _set_roots()
    if which == "core":
        # every triple but the SPARQL checks' node shapes and constraints, each targeted node shape's
        # properties given its targets
        dropped = set(roots["checks"]) | set(shapes.objects(None, SH.sparql))
        targeted = {}
        for node in set(shapes.subjects(SH.property, None)):
            targets = [(p, o) for p, o in shapes.predicate_objects(node) if p in _TARGETS]
            if targets:
                targeted[node] = targets
        triples = [(s, p, o) for s, p, o in shapes
                   if p != SH.sparql and s not in dropped and not (p == SH.property and s in targeted)]
        for node, targets in targeted.items():
            for prop in shapes.objects(node, SH.property):
                triples += [(prop, p, o) for p, o in targets]
    else:
        # each query without its indentation: pyshacl looks for MINUS and SERVICE with patterns that walk
        # from every line's start to the next '#', and the indentation doubled that (35 ms a run of the checks)
        triples = [(s, p, Literal("\n".join(line.strip() for line in str(o).split("\n"))) if p == SH.select else o)
                   for s, p, o in _reached(shapes, roots[which])]
    graph = new_graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def validate_graph(graph: Graph, ontology=None) -> Report:
    """Validate ``graph`` against ``ontology/shapes.ttl`` (no inference: the graph states its types).

    The per-class shapes run on the rdflib graph; the whole-graph SPARQL checks
    run on a copy in Oxigraph (:func:`check_store`), whose SPARQL engine answers
    them in milliseconds where rdflib's takes seconds on a corpus.
    """
    ontology = Ontology.of(ontology)
    import pyoxigraph

    from kg.stores.files import serialize

    ill_typed = _ill_typed(graph)
    if ill_typed:  # rdflib cannot compute with them (SPARQL arithmetic recurses): report, then validate the rest
        graph = _without(graph, [triple for triple, _finding in ill_typed])
    findings = validate_core(graph, ontology, ill_typed=[f for _t, f in ill_typed])
    store = pyoxigraph.Store()
    store.bulk_load(serialize(graph, "nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    findings += check_store(store, ontology, "checks")
    return report_of(findings)


def report_of(findings) -> Report:
    findings = sorted(set(findings), key=lambda f: (not f.blocking, f.rule, f.label, f.message, f.node))
    return Report(not any(finding.blocking for finding in findings), findings)


def prepare(ontology=None) -> None:
    """Import pyshacl and split the shapes of ``ontology`` now. A build calls it before it forks its
    workers: each then finds them ready instead of doing the same work again (0.2 s of CPU each)."""
    import pyshacl  # noqa: F401  (imported for the forked workers)

    shape_set(ontology, "core")
    shape_set(ontology, "checks")


def validate_core(graph: Graph, ontology=None, *, ill_typed=None, scan=None) -> list[Finding]:
    """The per-class shapes (core SHACL, pyshacl), plus the checks done in Python: literals of their
    datatype, no blank nodes. Those two look at the triples ``scan`` (default: the whole graph; a
    build gives each part's own, the context being checked on its own)."""
    import pyshacl

    from kg.check.audit import confined

    ontology = Ontology.of(ontology)
    scan = graph if scan is None else scan
    if ill_typed is None:
        found = _ill_typed(graph, scan)
        ill_typed = [finding for _triple, finding in found]
        if found:
            graph = _without(graph, [triple for triple, _finding in found])
    core = shape_set(ontology, "core")
    with confined(what="validation"):
        _conforms, report_graph, _text = _run_pyshacl(pyshacl, graph, core)
    if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure: the shapes themselves are broken
        raise InputError(f"the shapes cannot be evaluated: {report_graph}", Ontology.of(ontology).path(SHAPES_FILE))
    return list(_findings(graph, report_graph, shapes_graph(ontology))) + _blank_nodes(scan) + list(ill_typed)


class QueryGuard:
    """Passes each SPARQL text through :func:`kg.check.guard.check_query` once before Oxigraph runs it,
    remembering the digests of the texts that passed (``checked``); a build hands one to every step."""

    def __init__(self, checked: Iterable[str] = ()) -> None:
        self.checked: set[str] = set(checked)

    def __call__(self, query, prefixes=None) -> None:
        import hashlib

        from kg.check.guard import check_query

        text = query if isinstance(query, str) else str(query)
        # pyshacl writes the PREFIX lines in set order, which changes with the hash seed: sort them,
        # so a query has one digest from run to run (the cache keeps the digests that passed)
        lines = text.split("\n")
        start = 0
        while start < len(lines) and (lines[start].startswith("PREFIX ") or not lines[start].strip()):
            start += 1
        declared = {f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in dict(prefixes or {}).items()}
        declared.update(line for line in lines[:start] if line.strip())
        canonical = "\n".join(sorted(declared) + lines[start:])
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        if digest not in self.checked:
            check_query(canonical, "a SPARQL check of the shapes")
            self.checked.add(digest)


CHECKED_FILE = "shapes-checked.json"


def bundled_checks(ontology=None) -> dict:
    """What ``ontology/shapes-checked.json`` records about the shapes' SPARQL: the digests of the
    texts that passed kg.check.guard (``checked``) and what each check can match (``predicates``).

    Parsing the eight checks with rdflib costs half a second, more than the rest of a
    one-release build; the file spares it. A digest matches only the exact text, so a changed
    or foreign check is parsed and guarded as usual; ``tests/test_shapes.py`` recomputes the
    file and fails when it is stale (``make golden`` rewrites it).
    """
    return Ontology.of(ontology).derived("checks recorded", _read_bundled)


def _read_bundled(ontology: Ontology) -> dict:
    import json

    try:
        entry = json.loads(ontology.path(CHECKED_FILE).read_text(encoding="utf-8"))
        return {"checked": set(entry["checked"]), "predicates": dict(entry["predicates"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {"checked": set(), "predicates": {}}


def compute_checks(ontology=None) -> dict:
    """The content of ``shapes-checked.json``, computed: every check run (on an empty store) through the guard."""
    ontology = Ontology.of(ontology)
    import pyoxigraph

    guard = QueryGuard()
    store = pyoxigraph.Store()
    check_store(store, ontology, "checks", guard, use_bundled=False)
    checked = guard.checked
    predicates: dict = {}
    check_predicates(ontology, "checks", predicates, use_bundled=False)
    return {"checked": sorted(checked), "predicates": predicates}


def check_predicates(ontology=None, which: str = "corpus", known: dict | None = None, *,
                     use_bundled: bool = True) -> set[str] | None:
    """The predicate IRIs the SPARQL checks ``which`` can match (:func:`kg.check.guard.predicates_of`), None: any.

    A store holding only the triples with these predicates gives the checks the
    same answers, sooner. ``known`` maps a query's digest to its predicates (a
    list, or None), from earlier builds; new ones are added to it.
    """
    ontology = Ontology.of(ontology)
    import hashlib

    from kg.check.guard import predicates_of

    shapes = shapes_graph(ontology)
    declared = sorted({f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>"
                       for d in shapes.objects(None, SH.declare)})
    checks = shape_set(ontology, which)
    known = {} if known is None else known
    bundled = bundled_checks(ontology)["predicates"] if use_bundled else {}
    found: set[str] = set()
    for constraint in ordered(checks.objects(None, SH.sparql)):
        text = "\n".join(declared) + "\n" + str(shapes.value(constraint, SH.select))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest not in known and digest in bundled:
            known[digest] = bundled[digest]
        if digest not in known:
            predicates = predicates_of(text)
            known[digest] = sorted(predicates) if predicates is not None else None
        if known[digest] is None:
            return None
        found.update(known[digest])
    return found


def check_store(store, ontology=None, which: str = "corpus", guard: QueryGuard | None = None, *,
                use_bundled: bool = True, side_by_side: int | None = None) -> list[Finding]:
    """The SPARQL checks ``which`` ("release": kgs:ReleaseChecks, "corpus": kgs:CorpusChecks,
    "checks": both), run by pyshacl on a pyoxigraph ``store``.

    pyshacl sends each check's SELECT to the graph it is given; here that graph
    is the store seen through oxrdflib, so Oxigraph evaluates them. Oxigraph can
    call remote endpoints (SERVICE), out of reach of the audit hook: every query
    passes :func:`kg.check.guard.check_query` before it runs. The checks run ``side_by_side`` at once
    (default: :func:`threads`), each holding its own working memory while it runs: one check per pyshacl run,
    the longest query first, each thread taking the next check when it is done with one (the costs of the
    checks at 1,000 releases, 0.05 s to 0.3 s, follow their lengths too loosely to split them in fixed groups:
    two groups took 0.51 s and 0.39 s, where the threads that take the next one end within a few hundredths).
    """
    ontology = Ontology.of(ontology)
    import pyshacl

    from kg.stores.embedded import graph_of

    guard = QueryGuard() if guard is None else guard
    if use_bundled:
        guard.checked.update(bundled_checks(ontology)["checked"])
    graph = graph_of(store, check=guard)
    at_once = threads() if side_by_side is None else side_by_side
    groups = check_groups(ontology, which, 1 if at_once <= 1 else len(list(shape_set(ontology, which).objects(None, SH.sparql))))

    def run(checks: Graph) -> list[Finding]:
        _conforms, report_graph, _text = _run_pyshacl(pyshacl, graph, checks)
        if not isinstance(report_graph, Graph):
            raise InputError(f"the shapes cannot be evaluated: {report_graph}", Ontology.of(ontology).path(SHAPES_FILE))
        return list(_findings(graph, report_graph, shapes_graph(ontology)))

    if len(groups) == 1:
        return run(groups[0])
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(at_once, len(groups))) as pool:  # Oxigraph lets go of the GIL while it evaluates a query
        return [finding for found in pool.map(run, groups) for finding in found]


def threads() -> int:
    """How many groups of checks run at once: one per core this process may use, at most four."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def check_groups(ontology=None, which: str = "checks", count: int = 1) -> list[Graph]:
    """The SPARQL checks ``which`` in ``count`` shape graphs that run side by side (:func:`check_store`).

    Each group is the set's node shapes with some of their constraints. A check's cost is taken to
    be the length of its query (the longest are the joins across cells, the shortest look at one
    figure): the longest goes to the group with the least so far, and so on; with ``count`` at least the
    number of checks, one check a group, the longest first (what :func:`check_store` hands its threads).
    """
    if count <= 1:
        return [shape_set(ontology, which)]
    ontology = Ontology.of(ontology)
    return ontology.derived(f"check groups {which} {count}", lambda ontology: _check_groups(ontology, which, count))


def _check_groups(ontology: Ontology, which: str, count: int) -> list[Graph]:
    from kg.rdf.namespaces import new_graph

    checks = shape_set(ontology, which)
    shapes = ontology.file(SHAPES_FILE)
    constraints = sorted(ordered(checks.objects(None, SH.sparql)), key=lambda c: -len(str(shapes.value(c, SH.select))))
    loads = [0] * count
    members: list[set] = [set() for _ in range(count)]
    for constraint in constraints:
        least = loads.index(min(loads))
        members[least].add(constraint)
        loads[least] += len(str(shapes.value(constraint, SH.select)))
    groups = []
    for chosen in members:
        if not chosen:
            continue
        kept = new_graph()
        kept.addN((s, p, o, kept) for s, p, o in checks if p != SH.sparql or o in chosen)
        group = new_graph()
        group.addN((s, p, o, group) for s, p, o in _reached(kept, _set_roots()[which]))
        groups.append(group)
    return groups


def _run_pyshacl(pyshacl, graph: Graph, shapes: Graph):
    return pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
    )


def _ill_typed(graph: Graph, triples=None) -> list:
    """(triple, Finding) for every literal of ``triples`` (default: the graph's) whose text is not a value
    of its datatype ("abc"^^xsd:integer)."""
    found = []
    for triple in graph if triples is None else triples:
        obj = triple[2]
        if type(obj) is URIRef:  # most objects (an isinstance on rdflib's abstract classes is ten times slower)
            continue
        if isinstance(obj, Literal) and obj.ill_typed and obj.datatype is not None:  # only a typed literal is ill-typed
            fact = _fact_of(graph, triple[0])
            datatype = graph.namespace_manager.normalizeUri(obj.datatype)
            prop = graph.namespace_manager.normalizeUri(str(triple[1]))
            found.append((triple, Finding(
                node=str(fact), label=_label(graph, fact), rule="every literal is a valid value of its datatype",
                message=f"'{obj}' is not a valid {datatype} (on {prop})",
                sentence=_sentence(graph, fact) if isinstance(fact, URIRef) else None, severity="Violation")))
    return sorted(found, key=lambda item: (str(item[0][0]), str(item[0][1]), str(item[0][2])))


def _without(graph: Graph, triples) -> Graph:
    from kg.rdf.namespaces import new_graph

    copy = new_graph()
    copy += graph
    for triple in triples:
        copy.remove(triple)
    return copy


_NOT_BLANK = frozenset((URIRef, Literal))


def _blank_nodes(triples) -> list[Finding]:
    """Every resource must have an IRI: checked in Python, a full scan SPARQL would make slow."""
    # an IRI, or for the object a literal, is ruled out by its exact type first (an isinstance on rdflib's abstract
    # classes is ten times slower)
    properties = sorted({str(p) for s, p, o in triples if (type(s) is not URIRef and isinstance(s, BNode))
                         or (type(o) not in _NOT_BLANK and isinstance(o, BNode))})
    return [
        Finding(node="", label="the whole graph", rule="every resource has an IRI",
                message=f"a blank node is used with <{prop}>: every resource needs an IRI", sentence=None, severity="Violation")
        for prop in properties
    ]


def _label(graph: Graph, node, lang: str = "en") -> str:
    labels = sorted(graph.objects(node, RDFS.label), key=lambda label: (getattr(label, "language", None) != lang, str(label)))
    if labels:
        return str(labels[0])
    return str(node)


def _fact_of(graph: Graph, node):
    """Walk from a selector or evidence node up to the fact that cites it."""
    for _ in range(3):
        if (node, RDF.type, KGO.Fact) in graph or (node, RDF.type, KGO.PressRelease) in graph:
            return node
        parents = ordered(set(graph.subjects(KGO.evidence, node)) | set(graph.subjects(OA.hasSelector, node)))
        if not parents:
            return node
        node = parents[0]
    return node


def _sentence(graph: Graph, fact) -> str | None:
    sentences = []
    for evidence in ordered(graph.objects(fact, KGO.evidence)):
        for sentence in graph.objects(evidence, KGO.inSentence):
            index = graph.value(sentence, KGO.sentenceIndex)
            sentences.append((int(index) if isinstance(index, Literal) else 0, str(graph.value(sentence, RDF.value))))
    if not sentences:
        return None
    return " ".join(text for _i, text in sorted(set(sentences)))


def _rule(report: Graph, shapes: Graph, result) -> str:
    constraint = report.value(result, SH.sourceConstraint)
    if constraint is not None:
        label = shapes.value(constraint, RDFS.label)
        if label is not None:
            return str(label)
    shape = report.value(result, SH.sourceShape)
    name = shapes.value(shape, SH.name) if shape is not None else None
    if name is not None:
        # a property shape: name the node shape it belongs to as well
        owner = shapes.value(None, SH.property, shape)
        owner_label = shapes.value(owner, RDFS.label) if owner is not None else None
        return f"{owner_label} must have a valid {name}" if owner_label else str(name)
    label = shapes.value(shape, RDFS.label) if shape is not None else None
    return str(label) if label is not None else str(report.value(result, SH.sourceConstraintComponent))


def _findings(graph: Graph, report: Graph, shapes: Graph):
    for result in report.objects(None, SH.result):  # top-level results only, not pyshacl's nested sh:detail
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        subject = value if focus == KGO.GraphChecks and isinstance(value, URIRef) else focus
        fact = _fact_of(graph, subject)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        text = str(message) if message is not None else "constraint violated"
        if path is not None and not isinstance(value, URIRef) and value is not None and focus != KGO.GraphChecks:
            text += f" (value: {value})"
        severity = report.value(result, SH.resultSeverity)
        yield Finding(
            node=str(fact),
            label=_label(graph, fact) if fact != KGO.GraphChecks else "the whole graph",
            rule=_rule(report, shapes, result),
            message=text,
            sentence=_sentence(graph, fact) if isinstance(fact, URIRef) else None,
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        )
