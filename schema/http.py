"""GraphQL over HTTP: the strawberry view with the spec's media types and status codes.

`application/graphql-response+json` when the client accepts it (request errors -> 400),
`application/json` otherwise (always 200); a mutation over GET -> 405; HTTP-level problems
answer in the GraphQL error shape with code BAD_REQUEST. The per-request `Context` is built
here: the caller's principal and fresh DataLoaders.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError

from resolvers import Context, authenticate, make_context

__all__ = ["GRAPHQL_RESPONSE", "IDE_PAGE", "JSON", "GraphQLView", "error_body", "negotiate"]

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str | None) -> str:
    """application/graphql-response+json if the client accepts it, else application/json."""
    best, best_q = JSON, 0.0
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media == GRAPHQL_RESPONSE and q > 0 and q >= best_q:
            best, best_q = GRAPHQL_RESPONSE, q
        elif media in (JSON, "application/*", "*/*") and q > best_q:
            best, best_q = JSON, q
    return best


def error_body(message: str, code: str) -> dict[str, Any]:
    """A GraphQL-shaped error response body for failures outside GraphQL execution."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


class _MethodNotAllowed(HTTPException):
    """A mutation sent with GET: the GraphQL-over-HTTP spec answers 405, Allow: POST."""


class GraphQLView(GraphQL):
    """Strawberry's ASGI view with the GraphQL-over-HTTP media types, status codes and context."""

    def __init__(self, graphql_schema: Any, *, admin_key: str | None) -> None:
        super().__init__(graphql_schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self._admin_key = admin_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            media = negotiate(request.headers.get("accept"))
            headers = {"allow": "POST"} if isinstance(exc, _MethodNotAllowed) else None
            response = JSONResponse(
                error_body(exc.reason, "BAD_REQUEST"),
                status_code=exc.status_code,
                media_type=media,
                headers=headers,
            )
        await response(scope, receive, send)

    async def get_context(self, request: Any, response: Any) -> Context:
        principal = authenticate(request.headers, self._admin_key)
        return make_context(request.state.store, principal, request)

    async def get_sub_response(self, request: Request) -> Response:
        sub = await super().get_sub_response(request)
        sub.media_type = negotiate(request.headers.get("accept"))
        return sub

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise _MethodNotAllowed(405, "mutations cannot be sent with GET: use POST") from exc
            raise

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        media = sub_response.media_type or JSON
        status = sub_response.status_code or 200
        errors = response_data.get("errors") or []
        if response_data.get("data") is None and any("path" not in e for e in errors):
            # A request error (parse, validation, variables): nothing ran, so no `data` entry,
            # and the spec's 400 for the new media type (legacy application/json keeps 200).
            response_data = {k: v for k, v in response_data.items() if k != "data"}
            if media == GRAPHQL_RESPONSE:
                status = 400
        response = Response(
            self.encode_json(response_data),
            status_code=status,
            media_type=f"{media}; charset=utf-8",
        )
        response.headers.raw.extend(sub_response.headers.raw)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        # Strawberry's GraphiQL loads its scripts from a CDN; this page is self-contained.
        return HTMLResponse(IDE_PAGE)


IDE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ICN Graph - GraphQL</title>
<style>body{font:14px system-ui,sans-serif;margin:1rem;display:grid;gap:.5rem;
grid-template-columns:1fr 1fr}textarea,pre{width:100%;box-sizing:border-box;
font:13px ui-monospace,monospace}textarea{height:14rem}pre{background:#f4f4f4;
padding:.5rem;min-height:28rem;overflow:auto;margin:0}h1{grid-column:1/3;font-size:1.2rem}
</style></head><body>
<h1>ICN Graph GraphQL (<a href="/schema.graphql">schema</a>)</h1>
<div><label>Query<textarea id="q">{
  search(text: "oreec") { edges { node { id name } score } }
}</textarea></label>
<label>Variables (JSON)<textarea id="v" style="height:5rem">{}</textarea></label>
<label>API key (optional) <input id="k" type="password" size="30"></label>
<button id="run">Run</button></div>
<pre id="out"></pre>
<script>
document.getElementById("run").onclick = async () => {
  const out = document.getElementById("out");
  const headers = {"Content-Type": "application/json", "Accept": "application/json"};
  const key = document.getElementById("k").value;
  if (key) headers["Authorization"] = "Bearer " + key;
  let variables;
  try { variables = JSON.parse(document.getElementById("v").value || "{}"); }
  catch (e) { out.textContent = "Variables are not JSON: " + e; return; }
  const body = JSON.stringify({query: document.getElementById("q").value, variables});
  const res = await fetch("/graphql", {method: "POST", headers, body});
  out.textContent = JSON.stringify(await res.json(), null, 2);
};
</script></body></html>
"""
