/**
 * The decoded query examples the search shows in its Decoded mode (the examples list next to the
 * field), with what each finds: one per protocol's usual question, and the syntax's parts
 * (names, indexes, a regular expression, &&, a path into JSON text). One list, so every example
 * the user sees is run by a test (test/unit/shared/decoded-query-examples.test.ts) against
 * decoded values it finds and ones it does not.
 */

export interface DecodedQueryExample {
  query: string;
  /** What it finds, in words. */
  finds: string;
}

export const DECODED_QUERY_EXAMPLES: readonly DecodedQueryExample[] = [
  { query: "$.event == 'chat'", finds: 'Socket.IO events named chat' },
  { query: "$.args[0].room == 'lobby'", finds: "a field of an event's first argument" },
  { query: '$.headers.destination =~ /^\\/topic\\//', finds: 'STOMP frames to a /topic/ destination' },
  { query: '$.body.price > 100', finds: 'a field of a body sent as JSON text (STOMP; MQTT: $.payload…)' },
  { query: "$.topic =~ /^sensors\\// && $.qos == 1", finds: 'MQTT publishes under sensors/ at QoS 1' },
  { query: "$.operation.name == 'OnPrice'", finds: "a GraphQL operation's messages" },
  { query: "$.target == 'SendMessage'", finds: 'SignalR invocations of a hub method' },
  { query: "$.args[*] == 'urgent'", finds: 'any argument equal to a value' },
];

/** The syntax in one line, shown above the examples. */
export const DECODED_QUERY_SYNTAX =
  "A path from $ (.name, ['name'], [0], [*]), then == != < <= > >= a value ('text', a number, true, false, null) or =~ /regex/; join clauses with &&. A path goes on into a string that holds JSON.";
