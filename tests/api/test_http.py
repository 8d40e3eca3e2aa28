"""GraphQL over HTTP and the other routes, against the real server."""

from __future__ import annotations

import gzip
import re

import pytest

from schema.http import negotiate
from tests.api._client import Api
from tests.api.conftest import CORS_ORIGIN, DATA_DIR, MAX_BODY_BYTES

SMALL = "{ clusters(first: 1) { totalCount } }"


def test_graphql_response_media_type_when_accepted(api: Api) -> None:
    response = api.post(SMALL, accept="application/graphql-response+json, application/json;q=0.9")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")


def test_json_when_the_client_only_accepts_json(api: Api) -> None:
    response = api.post(SMALL, accept="application/json")
    assert response.headers["content-type"].startswith("application/json")


def test_validation_error_is_400_under_the_new_media_type(api: Api) -> None:
    response = api.post("{ clusters { nope } }")
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_validation_error_is_200_under_legacy_json(api: Api) -> None:
    response = api.post("{ clusters { nope } }", accept="application/json")
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_parse_error_has_its_code(api: Api) -> None:
    response = api.post("{ clusters(first: ) }")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_bad_variables_are_bad_user_input(api: Api) -> None:
    query = (
        "query($n: Int!, $d: Date) "
        "{ clusters(first: $n) { totalCount } events(from: $d) { totalCount } }"
    )
    response = api.post(query, {"n": "ten", "d": "2011-13"})
    assert response.status_code == 400
    assert {e["extensions"]["code"] for e in response.json()["errors"]} == {"BAD_USER_INPUT"}


def test_get_runs_queries(api: Api) -> None:
    response = api.get("/graphql", params={"query": SMALL}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["data"]["clusters"]["totalCount"] >= 1


def test_malformed_json_body_is_400(api: Api) -> None:
    response = api.http.post(
        f"{api.base}/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_body_over_the_limit_is_413(api: Api) -> None:
    padding = " " * (MAX_BODY_BYTES + 1)
    response = api.post(SMALL + padding)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_cors_allows_the_configured_origin_only(api: Api) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = api.http.options(f"{api.base}/graphql", headers={"Origin": CORS_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == CORS_ORIGIN
    other = api.http.options(
        f"{api.base}/graphql", headers={"Origin": "http://elsewhere.test", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers


def test_large_responses_are_gzipped(api: Api) -> None:
    query = "{ organisations(first: 100) { edges { node { id name aliases description } } } }"
    response = api.http.post(
        f"{api.base}/graphql",
        json={"query": query},
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.headers.get("content-encoding") == "gzip"
    assert response.json()["data"]["organisations"]["edges"]
    assert int(response.headers["content-length"]) < len(gzip.compress(response.content)) * 4


def test_ide_page_loads_nothing_from_other_hosts(api: Api) -> None:
    response = api.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<textarea" in response.text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", response.text)


def test_healthz_is_always_ok(api: Api) -> None:
    response = api.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_reports_the_store(api: Api) -> None:
    response = api.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["backend"] == api.backend


def test_schema_is_served_as_sdl(api: Api) -> None:
    response = api.get("/schema.graphql")
    assert response.status_code == 200
    for fragment in ("interface Node", "type Query", "paths(", "introductions(", "scalar Date"):
        assert fragment in response.text


def test_sources_are_served_as_text(api: Api) -> None:
    name = sorted(p.name for p in (DATA_DIR / "sources").iterdir())[0]
    response = api.get(f"/sources/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == (DATA_DIR / "sources" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/sources/..%2Fserver.py",
        "/sources/%2E%2E%2Fserver.py",
        "/sources/.hidden",
        "/sources/no-such-file.txt",
        "/sources/..%5Cserver.py",
    ],
)
def test_source_paths_outside_the_folder_are_refused(api: Api, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert "import" not in response.text


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("application/graphql-response+json", "application/graphql-response+json"),
        (
            "application/graphql-response+json, application/json;q=0.9",
            "application/graphql-response+json",
        ),
        (
            "application/json, application/graphql-response+json;q=0.5",
            "application/json",
        ),
        ("application/graphql-response+json;q=0", "application/json"),
    ],
)
def test_negotiation_prefers_the_graphql_response_media_type(
    accept: str | None, media: str
) -> None:
    assert negotiate(accept) == media
