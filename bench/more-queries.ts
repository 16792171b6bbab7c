/**
 * Part (11)'s further queries (BENCH_QUERY_MORE=1): per stream, queries a user may write that
 * the stream's own and dense queries do not cover — other fields, MQTT 5 properties, ids,
 * numbers past a path, paths through `[*]` (with a string literal, and without one:
 * any-step-probe.ts) — so that the "< 1 s over a million frames" line is measured beyond the
 * paths the rules were written for. Some match nothing in the stream (a
 * search that finds nothing still reads every frame).
 */
export const MORE_QUERIES: Readonly<Record<string, readonly string[]>> = {
  graphql: ["$.id == '7'", '$.payload.data.price.price > 9990', "$.payload.data[*].sym == 'S7'"],
  mqtt5: ['$.properties.topicAlias == 3', "$.properties.userProperties.src == 'x'", '$.qos == 1', '$.payload =~ /x/'],
  socketio: ["$.args[*].room == 'r3'", "$.nsp == '/'", '$.args[1] > 5'],
  stomp: ["$.headers.subscription == 'sub-7'", '$.body =~ /price/', "$.headers[*] == '/topic/p7'"],
  signalr: ["$.arguments[*] == 'room3'", "$.invocationId == '33'", '$.arguments[1].n > 999000'],
  msgpack: ["$.data.sym == 'ABC7'", '$.data.price > 9990', "$.data[*] == 'ABC7'", '$.data[*] > 9990', '$.data[*] =~ /^ABC7$/'],
  cbor: ["$.data.sym == 'ABC7'", '$.data.price > 9990', "$.data[*] == 'ABC7'", '$.data[*] > 9990'],
  protobuf: ["$['3']['1'] == 'ABC7'", "$['3'][*] =~ /^ABC7$/"],
  'protobuf-schema': ["$.data.sym == 'ABC7'", '$.data.price > 9990', '$.data[*] > 9990'],
  'signalr-msgpack': ['$.arguments[1] > 9990', "$.invocationId == '35'", "$.arguments[*] == 'ABC7'"],
  gzip: ["$.payload.data.sym == 'ABC7'", '$.payload.data.price > 9990', '$.payload.data[*] > 9990'],
  deflate: ["$.payload.data.sym == 'ABC7'"],
  'deflate-raw': ["$.payload.data.sym == 'ABC7'"],
  base64: ["$.payload.data.sym == 'ABC7'", '$.payload.data.price > 9990', "$.payload.data[*] == 'ABC7'", '$.payload.data[*] > 9990'],
};
