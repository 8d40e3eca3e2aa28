"""The test suites of ICN Graph."""
