// Run the GraphQL-over-HTTP audits of graphql-http against a running server and print the results.
//
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one JSON document on stdout: {"graphqlHttp": "<version>", "results": [{id, name, status,
// reason}, ...]} with status ok | notice | warn | error, in the order graphql-http runs them. The
// exit code is 0 whenever the audits ran (the Python test judges the results), 2 on bad usage and
// 1 when an audit threw (graphql-http throws only on fatal problems, such as no server at all).
import { readFile } from "node:fs/promises";
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs <graphql endpoint URL>");
  process.exit(2);
}

const manifest = new URL("./node_modules/graphql-http/package.json", import.meta.url);
const { version } = JSON.parse(await readFile(manifest, "utf8"));

try {
  const audited = await auditServer({ url });
  const results = [];
  for (const result of audited) {
    const entry = { id: result.id, name: result.name, status: result.status, reason: null };
    if (result.status !== "ok") {
      entry.reason = result.reason;
      // The response body says why the server answered as it did; keep a short excerpt.
      try {
        entry.body = (await result.response.text()).slice(0, 500);
        entry.httpStatus = result.response.status;
        entry.contentType = result.response.headers.get("content-type");
      } catch {
        entry.body = null;
      }
    }
    results.push(entry);
  }
  process.stdout.write(JSON.stringify({ graphqlHttp: version, results }, null, 2) + "\n");
} catch (error) {
  console.error(`audit failed: ${error?.stack ?? error}`);
  process.exit(1);
}
