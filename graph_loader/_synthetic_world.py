"""The nodes of a synthetic network, and the helpers its relationships are drawn with."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from graph_loader import _synthetic_words as words
from graph_store import RELATIONSHIP_TYPES, Certainty, normalise_text

__all__ = ["FIRST_YEAR", "LAST_YEAR", "NOW", "SOURCE", "World"]

SOURCE = "synthetic.txt"
"""The source every synthetic record cites."""

_NOTES = {
    Certainty.INFERRED.value: "synthetic: inferred from shared membership",
    Certainty.UNCERTAIN.value: "synthetic: the source is ambiguous",
}
FIRST_YEAR, LAST_YEAR, NOW = 2000, 2027, 2025
"""Years of the synthetic world: after NOW, things are planned."""


def _slug(text: str) -> str:
    return "-".join(normalise_text(text).split())


class World:
    """The generated network: nodes first (kept in lists), then relationships streamed."""

    def __init__(self, people: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_people = people
        self.name: dict[str, str] = {}
        self.nodes_out: list[dict[str, Any]] = []
        self._make_nodes()

    # -- helpers ---------------------------------------------------------------------------

    def date(self, year: int) -> str:
        r = self.rng.random()
        if r < 0.4:
            return str(year)
        month = self.rng.randint(1, 12)
        return (
            f"{year}-{month:02d}"
            if r < 0.8
            else f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"
        )

    def year(self, lo: int = FIRST_YEAR, hi: int = NOW) -> int:
        return self.rng.randint(lo, hi)

    def zipf(self, n: int, exponent: float) -> tuple[list[int], list[float]]:
        """A random order of 0..n-1 (rank -> item) and cumulative Zipf weights of the ranks."""
        order = list(range(n))
        self.rng.shuffle(order)
        return order, list(accumulate(1.0 / (k**exponent) for k in range(1, n + 1)))

    def pick(self, zipf: tuple[list[int], list[float]], k: int) -> list[int]:
        order, cum = zipf
        return [order[r] for r in self.rng.choices(range(len(order)), cum_weights=cum, k=k)]

    def _node(self, kind: str, node_id: str, name: str, **props: Any) -> str:
        record = {"record": "node", "id": node_id, "kind": kind, "name": name}
        record["sources"] = [SOURCE]
        record.update((k, v) for k, v in props.items() if v is not None)
        self.nodes_out.append(record)
        self.name[node_id] = name
        return node_id

    def edge(
        self, rel_type: str, src: str, dst: str, *, certainty: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "record": "relationship",
            "type": rel_type,
            "from": src,
            "to": dst,
        }
        record.update((k, v) for k, v in fields.items() if v is not None)
        if certainty is None:
            r = self.rng.random()
            certainty = "inferred" if r < 0.06 else "uncertain" if r < 0.09 else "stated"
        record["certainty"] = certainty
        if certainty in _NOTES:
            record["note"] = _NOTES[certainty]
        record["source"] = SOURCE
        description = RELATIONSHIP_TYPES[rel_type].description
        record["evidence"] = f"{self.name[src]} {description} {self.name[dst]}"
        return record

    # -- nodes -----------------------------------------------------------------------------

    def _make_nodes(self) -> None:
        rng, n = self.rng, self.n_people
        self.countries = words.COUNTRIES
        country_zipf = self.zipf(len(self.countries), 0.9)
        self.networks = [self._node("Network", "network/icn", "International Cleantech Network",
                                    aliases=["ICN"], founded="2010-10-01")]  # fmt: skip
        for i in range(n // 12_000):
            country, _ = self.countries[self.pick(country_zipf, 1)[0]]
            name = f"{country} Cleantech Network {i + 1}"
            self.networks.append(self._node("Network", f"network/{_slug(name)}", name))
        self.clusters, self.cluster_place = [], []
        for i in range(max(3, n // 100)):
            country, cities = self.countries[self.pick(country_zipf, 1)[0]]
            city = rng.choice(cities)
            name = f"{city} {rng.choice(words.CLUSTER_WORDS)} Cluster {i + 1}"
            acronym = "".join(w[0] for w in name.split()[:-1]).upper() + str(i + 1)
            self.clusters.append(self._node(
                "Cluster", f"cluster/{_slug(name)}", name, aliases=[acronym], city=city,
                country=country, sector=rng.choice(words.SECTORS),
                founded=str(self.year(1995, 2020)),
            ))  # fmt: skip
            self.cluster_place.append((city, country))
        self.orgs, self.org_cluster = [], []
        cluster_zipf = self.zipf(len(self.clusters), 0.8)
        for i in range(max(5, n * 9 // 20)):
            home = self.pick(cluster_zipf, 1)[0]
            city, country = self.cluster_place[home]
            name = f"{rng.choice(words.ORG_WORDS)} {rng.choice(words.ORG_FORMS)} {i + 1}"
            self.orgs.append(self._node(
                "Organisation", f"organisation/{_slug(name)}", name, city=city, country=country,
                sector=rng.choice(words.SECTORS),
                category=rng.choice(("company", "company", "university", "research institute")),
            ))  # fmt: skip
            self.org_cluster.append(home)
        self.people = []
        for i in range(n):
            name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
            self.people.append(self._node("Person", f"person/{_slug(name)}-{i + 1}", name,
                                          title=rng.choice(words.ROLES)))  # fmt: skip
        self.programmes = []
        for i in range(max(2, n // 1000)):
            name = f"{rng.choice(words.PROGRAMME_WORDS)} Programme {i + 1}"
            self.programmes.append(self._node("Programme", f"programme/{_slug(name)}", name,
                                              category="funding"))  # fmt: skip
        self.projects, self.project_start = [], []
        for i in range(max(2, n // 7)):
            start = self.year(2005, LAST_YEAR) if i else LAST_YEAR  # one planned, at least
            status = "planned" if start > NOW else "running" if start > 2021 else "completed"
            name = f"{rng.choice(words.PROJECT_WORDS)} {rng.choice(words.SECTORS).title()} {i + 1}"
            self.projects.append(self._node(
                "Project", f"project/{_slug(name)}", name, start=str(start),
                end=str(start + rng.randint(1, 5)), status=status, category="collaboration",
                amount=rng.randint(1, 400) * 25_000, currency="EUR",
            ))  # fmt: skip
            self.project_start.append(start)
        self.events, self.event_year = [], []
        for i in range(max(2, n // 30)):
            year = self.year(2010, LAST_YEAR) if i else LAST_YEAR
            city, country = self.cluster_place[rng.randrange(len(self.clusters))]
            kind = rng.choice(words.EVENT_KINDS)
            name = f"{city} {kind.title()} {year} #{i + 1}"
            self.events.append(self._node(
                "Event", f"event/{_slug(name)}", name, category=kind, date=self.date(year),
                status="planned" if year > NOW else "held", city=city, country=country,
            ))  # fmt: skip
            self.event_year.append(year)
        self.agreements, self.agreement_date = [], []
        for i in range(max(1, n // 20)):
            year = self.year(2010, LAST_YEAR) if i else LAST_YEAR
            date = self.date(year)
            name = f"Memorandum of Understanding {i + 1}"
            self.agreements.append(self._node(
                "Agreement", f"agreement/mou-{i + 1}", name, category="mou", date=date,
                status="planned" if year > NOW else "signed", purpose="cluster cooperation",
            ))  # fmt: skip
            self.agreement_date.append((year, date))

    def nodes(self) -> Iterator[dict[str, Any]]:
        """Every node record (already generated)."""
        yield from self.nodes_out
