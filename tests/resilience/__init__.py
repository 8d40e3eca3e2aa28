"""Faults and load: the API under a Neo4j outage, and a bounded load test on loopback."""
