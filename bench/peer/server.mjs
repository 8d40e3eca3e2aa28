// The benchmark's peer: the Neo4j GraphQL Library on Apollo Server, reading the ICN Graph's own
// Neo4j storage (same nodes, relationships and full-text index; nothing is written or copied).
//
// Usage: node server.mjs --port 4100 [--uri bolt://127.0.0.1:7687] [--database neo4j]
// (or PORT, NEO4J_URI, NEO4J_DATABASE, NEO4J_USER, NEO4J_PASSWORD in the environment).
// Prints "PEER READY http://127.0.0.1:PORT/" once it answers; stops cleanly on SIGTERM/SIGINT.
//
// The type definitions mirror graph_store/_neo4j_codec.py: every stored node carries the label
// `Entity` (plus its kind's label) and the properties id, kind, name, aliases, ...; every
// relationship carries id, since, until, certainty, source, evidence, note and its typed
// properties. One concrete type over the shared label serves every kind, so a lookup by id or a
// search never becomes a UNION over nine labels: that is the cheapest shape the library allows.

import net from "node:net";
import { parseArgs } from "node:util";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

export const typeDefs = /* GraphQL */ `
    type Rel @relationshipProperties {
        id: ID!
        since: String
        until: String
        certainty: String!
        source: String!
        evidence: String!
        note: String
        role: String
    }

    type Entity
        @node(labels: ["Entity"])
        @mutation(operations: [])
        @fulltext(
            indexes: [
                { indexName: "icn_entity_search", queryName: "searchEntities", fields: ["search_text"] }
            ]
        ) {
        id: ID!
        kind: String!
        name: String!
        aliases: [String!]
        description: String
        country: String
        city: String
        search_text: String
        members: [Entity!]!
            @relationship(
                type: "MEMBER_OF"
                direction: IN
                properties: "Rel"
                nestedOperations: []
                aggregate: false
            )
        memberOf: [Entity!]!
            @relationship(
                type: "MEMBER_OF"
                direction: OUT
                properties: "Rel"
                nestedOperations: []
                aggregate: false
            )
    }
`;

/**
 * Turn Nagle's algorithm off on the driver's Bolt sockets, which the Node.js driver leaves on.
 *
 * With it on, a request the driver writes in more than one segment (the library's long Cypher
 * texts) waits for the server's delayed ACK: about 40 ms per query on Linux, measured here.
 * A careful deployment would not pay that, so neither does the peer; PEER_NODELAY=0 gives the
 * stock behaviour.
 */
function disableNagle() {
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (...args) {
        this.setNoDelay(true);
        return connect.apply(this, args);
    };
}

function options() {
    const { values } = parseArgs({
        options: {
            port: { type: "string", default: process.env.PORT ?? "4100" },
            host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
            uri: { type: "string", default: process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687" },
            database: { type: "string", default: process.env.NEO4J_DATABASE ?? "neo4j" },
        },
    });
    return { ...values, port: Number(values.port) };
}

async function main() {
    const opts = options();
    if (process.env.PEER_NODELAY !== "0") disableNagle();
    const user = process.env.NEO4J_USER;
    // Auth is off on the benchmark's Neo4j; credentials are used only when given, as ours does.
    const auth = user ? neo4j.auth.basic(user, process.env.NEO4J_PASSWORD ?? "") : undefined;
    const driver = neo4j.driver(opts.uri, auth);
    const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
    const schema = await neoSchema.getSchema();
    // Fails at start-up (not at the first search) if our full-text index is missing.
    await neoSchema.assertIndexesAndConstraints({ sessionConfig: { database: opts.database } });

    const server = new ApolloServer({ schema, introspection: false });
    const { url } = await startStandaloneServer(server, {
        listen: { port: opts.port, host: opts.host },
        context: async () => ({ sessionConfig: { database: opts.database } }),
    });
    console.log(`PEER READY ${url}`);

    const stop = async () => {
        await server.stop();
        await driver.close();
        process.exit(0);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
