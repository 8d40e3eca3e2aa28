"""GraphQL over HTTP: the strawberry view with the spec's media types and status codes.

`application/graphql-response+json` when the client accepts it (request errors -> 400),
`application/json` otherwise (always 200); a mutation over GET -> 405; HTTP-level problems
answer in the GraphQL error shape with code BAD_REQUEST. The per-request `Context` is built
here: the caller's principal (put on `request.state.principal` by schema.access) and fresh
DataLoaders. Persisted queries (Apollo APQ and per-key allow-lists, resolvers.persisted) are
resolved here too, and the operation's name and hash are left on `request.state` for the
access log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError, Lexer, Source, TokenKind
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError

from resolvers import ANONYMOUS, Context, make_context
from resolvers.persisted import ApqCache, PersistedQueryError, resolve_persisted
from schema.limits import RequestTimeout

__all__ = [
    "GRAPHQL_RESPONSE",
    "IDE_PAGE",
    "JSON",
    "GraphQLView",
    "error_body",
    "negotiate",
    "operation_name",
]

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


_OPERATION_KEYWORDS = frozenset({"query", "mutation", "subscription"})
_NAME_SCAN_TOKENS = 2000


def operation_name(query: str | None) -> str | None:
    """The first named operation of a document, for the access log (None when anonymous).

    A lexer scan of top-level tokens, not a parse: it runs before validation, must never
    fail, and stops after a bounded number of tokens.
    """
    if not query:
        return None
    depth = 0
    first = True
    expect_name = False
    try:
        lexer = Lexer(Source(query))
        for _ in range(_NAME_SCAN_TOKENS):
            token = lexer.advance()
            if token.kind == TokenKind.EOF or (token.kind == TokenKind.BRACE_L and first):
                return None  # the end, or a `{ ... }` shorthand query (anonymous)
            first = False
            if token.kind in (TokenKind.BRACE_L, TokenKind.PAREN_L):
                depth += 1
            elif token.kind in (TokenKind.BRACE_R, TokenKind.PAREN_R):
                depth -= 1
            if expect_name:
                return token.value if token.kind == TokenKind.NAME else None
            expect_name = depth == 0 and token.kind == TokenKind.NAME
            expect_name = expect_name and token.value in _OPERATION_KEYWORDS
    except GraphQLError:
        return None
    return None


def _no_operations(sha: str) -> str | None:
    return None


def _persisted_error(exc: PersistedQueryError, media: str) -> Response:
    """APQ misses answer 200 so Apollo clients retry with the text; the rest are refusals."""
    headers = None
    if exc.code == "PERSISTED_QUERY_NOT_FOUND":
        status = 200
        headers = {"cache-control": "private, no-cache, must-revalidate"}
    elif exc.code == "PERSISTED_QUERY_NOT_ALLOWED":
        status = 403 if media == GRAPHQL_RESPONSE else 200
    else:
        status = 400
    body = error_body(exc.message, exc.code)
    return JSONResponse(body, status_code=status, media_type=media, headers=headers)


class GraphQLView(GraphQL):
    """Strawberry's ASGI view with the GraphQL-over-HTTP media types, status codes and context."""

    def __init__(
        self,
        graphql_schema: Any,
        *,
        operations: Callable[[str], str | None] | None = None,
        apq_cache: ApqCache | None = None,
    ) -> None:
        """`operations(sha)`: a registered persisted operation's text (KeyRegistry.operation)."""
        super().__init__(graphql_schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self._operations = operations if operations is not None else _no_operations
        self._apq = apq_cache if apq_cache is not None else ApqCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive=receive)
        try:
            response = await self.run(request)
        except PersistedQueryError as exc:
            response = _persisted_error(exc, negotiate(request.headers.get("accept")))
        except RequestTimeout as exc:
            # The operation was cancelled (schema.limits): a gateway-style 504 for the
            # GraphQL-over-HTTP media type, 200 for legacy application/json.
            media = negotiate(request.headers.get("accept"))
            status = 504 if media == GRAPHQL_RESPONSE else 200
            response = JSONResponse(error_body(str(exc), exc.code), status, media_type=media)
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

    def decode_json(self, data: str | bytes) -> object:
        """JSON as strawberry decodes it, minus lone surrogates.

        JSON may escape half of a surrogate pair (`"\\ud800"`); Python decodes it to a string that
        is not Unicode text and that no store, encoder or log line can take. Refused here, once,
        as the client's error.
        """
        decoded = super().decode_json(data)
        try:
            json.dumps(decoded, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            reason = "the request holds a lone surrogate, not Unicode text"
            raise HTTPException(400, reason) from None
        return decoded

    async def get_context(self, request: Any, response: Any) -> Context:
        # schema.access authenticated the caller; an app built without it serves anonymously.
        principal = getattr(request.state, "principal", ANONYMOUS)
        return make_context(request.state.store, principal, request)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # An APQ GET carries `extensions` and no `query`: it is an operation, not a page view.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: Any,
        sub_response: Response,
    ) -> Any:
        """Swap persisted-query hashes for their text, then run as strawberry would."""
        if isinstance(request_data, list):
            request_data = [self._persisted(request, item, context) for item in request_data]
        else:
            request_data = self._persisted(request, request_data, context)
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    def _persisted(
        self, request: Request, data: GraphQLRequestData, context: Context
    ) -> GraphQLRequestData:
        named = data.operation_name if isinstance(data.operation_name, str) else None
        # Named before the lookup, so that a refused request is logged with its operation too.
        request.state.operation = named or operation_name(data.query)
        found = resolve_persisted(
            data.query, data.extensions, context.principal, self._operations, self._apq
        )
        if found.query != data.query:
            data.query = found.query
            request.state.operation = named or operation_name(found.query)
        request.state.persisted = found.sha256
        return data

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
