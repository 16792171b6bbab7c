/**
 * The contract's command names as a plain list, with no zod behind it: the sandboxed preload
 * builds its named methods from this file, and a sandboxed preload cannot load zod.
 * commands.ts checks at type level that this list and its schemas name the same commands.
 */
export const COMMAND_NAME_LIST = [
  'session:open',
  'session:send',
  'session:send-stop',
  'session:ping',
  'session:pong',
  'session:close',
  'session:list',
  'session:dispose',
  'session:adopt',
  'session:pin',
  'session:reconnect-now',
  'session:subscribe',
  'session:unsubscribe',
  'frames:page',
  'frames:get',
  'frames:search',
  'frames:search-cancel',
  'frames:ack',
  'session:stats',
  'frames:export',
  'frames:export-to-file',
  'frames:import',
  'session:decoding',
  'frames:decode',
  'message:encode',
  'proxy:resolve',
  'app:info',
  'profiles:list',
  'profiles:get',
  'profiles:save',
  'profiles:delete',
  'profiles:restore',
  'profiles:duplicate',
  'profiles:rename',
  'profiles:import',
  'profiles:export',
  'profiles:status',
  'environments:list',
  'environments:save',
  'environments:delete',
] as const;

export type ListedCommandName = (typeof COMMAND_NAME_LIST)[number];
