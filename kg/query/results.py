"""Query results as text: table, markdown, and the SPARQL 1.1 results formats.

``json`` and ``csv`` come from rdflib's own serializers (SPARQL 1.1 Query
Results JSON / CSV); ``tsv`` follows SPARQL 1.1 TSV (terms in Turtle syntax),
which rdflib does not ship.
"""

from __future__ import annotations

import io

from rdflib.query import Result

FORMATS = ("table", "csv", "tsv", "json", "md")


def _plain(term) -> str:
    if term is None:
        return ""
    return str(term)


def rows(result: Result) -> tuple[list[str], list[list[str]]]:
    """(column names, rows of plain strings) of a SELECT result."""
    names = [str(v) for v in result.vars or []]
    body = [[_plain(row[i]) for i in range(len(names))] for row in result]
    return names, body


def _tsv_term(term) -> str:
    if term is None:
        return ""
    text = term.n3()
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def format_result(result: Result, fmt: str) -> str:
    """Format a query result; ASK gives true/false, CONSTRUCT/DESCRIBE gives Turtle."""
    if result.type == "ASK":
        if fmt == "json":
            return result.serialize(format="json").decode("utf-8") + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from kg.rdf.namespaces import bind_prefixes

        return bind_prefixes(result.graph).serialize(format="turtle")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8") + "\n"
    if fmt == "csv":
        return result.serialize(format="csv").decode("utf-8")
    if fmt == "tsv":
        names = [str(v) for v in result.vars or []]
        out = io.StringIO()
        out.write("\t".join(f"?{n}" for n in names) + "\n")
        for row in result:
            out.write("\t".join(_tsv_term(row[i]) for i in range(len(names))) + "\n")
        return out.getvalue()
    names, body = rows(result)
    if fmt == "md":
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    # table: aligned columns, long cells cut to keep a row on one screen
    cut = [[c.replace("\n", " ") if len(c) <= 80 else c[:77].replace("\n", " ") + "..." for c in row] for row in body]
    widths = [max([len(n)] + [len(row[i]) for row in cut]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cut]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"
