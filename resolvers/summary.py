"""One readable sentence per path, with each relationship's verb in the walked direction."""

from __future__ import annotations

from collections.abc import Mapping

from graph_store import RELATIONSHIP_TYPES, Node, NodeKind, Path, Step

__all__ = ["INVERSE_PHRASES", "path_summary", "step_phrase"]

INVERSE_PHRASES: Mapping[str, str] = {
    "MEMBER_OF": "has (or had) {} as a member",
    "JOINED": "was joined by",
    "FOUNDED": "was founded or launched by",
    "WORKS_FOR": "employs (or employed)",
    "HOLDS_POSITION": "counts {} among its office-holders",
    "AFFILIATED_WITH": "has {} as an affiliate",
    "KNOWS": "knows",
    "SIGNED": "was signed by",
    "SIGNED_AT": "saw the signing of",
    "CONCERNS": "is the subject of",
    "PARTNER_IN": "has {} as a partner",
    "COLLABORATED_WITH": "collaborated with",
    "FUNDED_BY": "funds (or funded)",
    "APPLIED_FOR_FUNDING": "received a funding application from",
    "UNDER_PROGRAMME": "is the programme of",
    "HOSTED": "was hosted by",
    "ORGANISED": "was organised by",
    "ATTENDED": "was attended by",
    "HELD_IN_CONNECTION_WITH": "had {} held in connection with it",
    "PART_OF": "includes",
    "VISITED": "was visited by",
    "REQUESTED_PASSPORT": "was asked for ICN Passport help by",
    "PUBLISHED": "was published by",
    "MENTIONS": "is mentioned in",
    "SUCCEEDED_BY": "succeeded",
    "POSSIBLY_SAME_AS": "is possibly the same as",
}
"""How to say each relationship type when a path walks it from its target to its source.

The forward phrasing is `RELATIONSHIP_TYPES[type].description` ("attended"); this table
holds the inverse ("was attended by"), so "X attended M" walked backwards reads "M was
attended by X". A `{}` marks where the object goes when it does not simply follow the verb
("has {} as a member"). tests/api check that every allowed type has an entry.
"""


def step_phrase(step: Step) -> str:
    """The verb phrase of a step, read from the node the path leaves to the one it reaches."""
    if step.forward:
        return RELATIONSHIP_TYPES[step.edge.type].description
    return INVERSE_PHRASES.get(step.edge.type, f"is the target of {step.edge.type} from")


def _label(node: Node) -> str:
    # Document titles can be whole sentences ("... Here Is What That Means for ICN."): quote them.
    name = node.name.strip()
    return f"\u201c{name}\u201d" if node.kind is NodeKind.DOCUMENT else name


def _clause(step: Step, target: Node) -> str:
    phrase = step_phrase(step)
    name = _label(target)
    return phrase.replace("{}", name) if "{}" in phrase else f"{phrase} {name}"


def _pronoun(node: Node) -> str:
    return "who" if node.kind is NodeKind.PERSON else "which"


def path_summary(path: Path) -> str:
    """E.g. "Marianna Lubanski attended 4th ICN Managers Meeting, which was attended by Tenerrdis."

    The first hop is a main clause; every further hop is a relative clause about the node the
    previous hop reached, so the sentence follows the path from its start to its end.
    """
    if not path.nodes:
        return ""
    parts = [_label(path.nodes[0])]
    if path.steps:
        parts[0] += f" {_clause(path.steps[0], path.nodes[1])}"
    for i, step in enumerate(path.steps[1:], start=1):
        parts.append(f"{_pronoun(path.nodes[i])} {_clause(step, path.nodes[i + 1])}")
    sentence = ", ".join(parts)
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."
