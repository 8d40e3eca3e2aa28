"""The relationships of a synthetic network, streamed: heavy-tailed, valid per the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph_loader import _synthetic_words as words
from graph_loader._synthetic_world import NOW, World

__all__ = ["KNOWS_PER_PERSON", "relationships"]

KNOWS_PER_PERSON = 9.8
"""Mean KNOWS added per person; with the rest, --people 60000 gives about 1M relationships."""
_EVENTS_PER_PERSON = 3.8
_PREFERENTIAL = 0.85
"""Share of KNOWS targets drawn by degree (the rest uniformly): a power-law tail, not a star."""

Record = dict[str, Any]


def relationships(w: World) -> Iterator[Record]:
    """Every relationship record of the world, in a fixed (seeded) order."""
    yield from _memberships(w)
    yield from _employment(w)
    yield from _knows(w)
    yield from _projects(w)
    yield from _agreements(w)
    yield from _events(w)
    yield from _collaborations(w)


def _memberships(w: World) -> Iterator[Record]:
    rng = w.rng
    icn, *regional = w.networks
    for i, cluster in enumerate(w.clusters):
        if rng.random() < 0.7 or i == 0:
            yield w.edge("MEMBER_OF", cluster, icn, since=w.date(w.year(2010)), role="member")
        if regional and rng.random() < 0.3:
            yield w.edge("MEMBER_OF", cluster, rng.choice(regional), since=w.date(w.year(2012)))
    for org, home in zip(w.orgs, w.org_cluster, strict=True):
        yield w.edge("MEMBER_OF", org, w.clusters[home], since=w.date(w.year()))
        if rng.random() < 0.1:
            other = rng.randrange(len(w.clusters))
            if other != home:
                yield w.edge("MEMBER_OF", org, w.clusters[other], since=w.date(w.year(2015)))
    founders = w.pick(w.zipf(len(w.orgs), 1.0), len(w.clusters))
    for cluster, founder in zip(w.clusters, founders, strict=True):
        yield w.edge("FOUNDED", w.orgs[founder], cluster, role="founding member")


def _employment(w: World) -> Iterator[Record]:
    """WORKS_FOR from Zipf-sized employers; about a third of people moved (time-bounded)."""
    rng = w.rng
    org_zipf = w.zipf(len(w.orgs), 1.0)
    jobs = w.pick(org_zipf, len(w.people) * 3)
    for i, person in enumerate(w.people):
        moves = 0 if rng.random() < 0.65 else 1 if rng.random() < 0.8 else 2
        employers = list(dict.fromkeys(jobs[3 * i : 3 * i + 1 + moves]))
        year = w.year(2000, 2018)
        for n, org in enumerate(employers):
            last = n == len(employers) - 1
            until = None if last else year + rng.randint(1, 3)
            yield w.edge(
                "WORKS_FOR",
                person,
                w.orgs[org],
                since=w.date(year),
                until=str(until) if until else None,
            )
            year = until or year
        home = w.org_cluster[employers[-1]]
        if rng.random() < 0.2:
            yield w.edge("AFFILIATED_WITH", person, w.clusters[home], role="member contact")
    for cluster in w.clusters:
        for role in ("cluster manager", "chair"):
            person = w.people[rng.randrange(len(w.people))]
            key = role.replace(" ", "-")  # one person may hold both positions
            yield w.edge(
                "HOLDS_POSITION", person, cluster, key=key, since=w.date(w.year(2010)), role=role
            )


def _knows(w: World) -> Iterator[Record]:
    """KNOWS by preferential attachment: each newcomer links to people picked by degree."""
    rng = w.rng
    order = list(range(len(w.people)))
    rng.shuffle(order)
    ends: list[int] = [order[0]]
    pairs: set[int] = set()
    n = len(w.people)
    for step, p in enumerate(order[1:], 1):
        wanted = min(step, 1 + int(rng.expovariate(1.0 / (KNOWS_PER_PERSON - 1))))
        for _ in range(wanted):
            if rng.random() < _PREFERENTIAL:
                q = ends[int(rng.random() * len(ends))]
            else:
                q = order[int(rng.random() * step)]
            key = p * n + q if p < q else q * n + p
            if q == p or key in pairs:
                continue
            pairs.add(key)
            ends.append(p)
            ends.append(q)
            context = "met at an ICN event" if rng.random() < 0.2 else None
            yield w.edge("KNOWS", w.people[p], w.people[q], context=context)


def _projects(w: World) -> Iterator[Record]:
    rng = w.rng
    for project, start in zip(w.projects, w.project_start, strict=True):
        planned = "planned" if start > NOW else None
        size = min(40, 2 + int(rng.paretovariate(1.4)))
        partners = dict.fromkeys(rng.randrange(len(w.orgs)) for _ in range(size))
        for n, org in enumerate(partners):
            role = "coordinator" if n == 0 else "partner"
            amount = rng.randint(1, 40) * 10_000 if rng.random() < 0.3 else None
            currency = "EUR" if amount else None
            yield w.edge("PARTNER_IN", w.orgs[org], project, since=str(start), certainty=planned,
                         role=role, amount=amount, currency=currency)  # fmt: skip
        if rng.random() < 0.1:
            cluster = w.clusters[rng.randrange(len(w.clusters))]
            yield w.edge("PARTNER_IN", cluster, project, since=str(start), certainty=planned)
        yield w.edge("ORGANISED", w.orgs[next(iter(partners))], project, certainty=planned)
        if rng.random() < 0.6:
            programme = rng.choice(w.programmes)
            yield w.edge("UNDER_PROGRAMME", project, programme, certainty=planned)
            yield w.edge("FUNDED_BY", project, programme, certainty=planned, currency="EUR",
                         amount=rng.randint(1, 200) * 50_000)  # fmt: skip


def _agreements(w: World) -> Iterator[Record]:
    rng = w.rng
    for agreement, (year, date) in zip(w.agreements, w.agreement_date, strict=True):
        planned = "planned" if year > NOW else None
        parties = dict.fromkeys(rng.randrange(len(w.clusters)) for _ in range(rng.randint(2, 4)))
        for party in parties:
            yield w.edge("SIGNED", w.clusters[party], agreement, since=date, certainty=planned)
        if rng.random() < 0.3:
            event = rng.randrange(len(w.events))
            yield w.edge("SIGNED_AT", agreement, w.events[event], certainty=planned)
        if rng.random() < 0.2:
            project = w.projects[rng.randrange(len(w.projects))]
            yield w.edge("CONCERNS", agreement, project, certainty=planned)


def _events(w: World) -> Iterator[Record]:
    """Hosts and organisers per event; attendees drawn by Zipf popularity (a few big ones)."""
    rng = w.rng
    for i, (event, year) in enumerate(zip(w.events, w.event_year, strict=True)):
        planned = "planned" if year > NOW else None
        yield w.edge("HOSTED", w.clusters[rng.randrange(len(w.clusters))], event, certainty=planned)
        if rng.random() < 0.5:
            org = w.orgs[rng.randrange(len(w.orgs))]
            yield w.edge("ORGANISED", org, event, certainty=planned, role="co-organiser")
        if i and rng.random() < 0.1:
            yield w.edge("HELD_IN_CONNECTION_WITH", event, w.events[i - 1], certainty=planned)
    event_zipf = w.zipf(len(w.events), 0.9)
    for person in w.people:
        count = min(40, int(rng.expovariate(1.0 / _EVENTS_PER_PERSON)))
        for event in dict.fromkeys(w.pick(event_zipf, count)):
            planned = "planned" if w.event_year[event] > NOW else None
            role = rng.choice(words.ROLES) if rng.random() < 0.05 else None
            yield w.edge("ATTENDED", person, w.events[event], certainty=planned, role=role)


def _collaborations(w: World) -> Iterator[Record]:
    """COLLABORATED_WITH between organisations, by preferential attachment too."""
    rng = w.rng
    ends: list[int] = [0]
    pairs: set[tuple[int, int]] = set()
    for a in range(1, len(w.orgs)):
        for _ in range(2):
            b = ends[int(rng.random() * len(ends))] if rng.random() < 0.7 else rng.randrange(a)
            if (b, a) in pairs or a == b:
                continue
            pairs.add((b, a))
            ends.extend((a, b))
            purpose = rng.choice(("joint bid", "technology transfer", "market access", None))
            yield w.edge("COLLABORATED_WITH", w.orgs[a], w.orgs[b], purpose=purpose)
