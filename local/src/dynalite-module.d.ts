/** dynalite ships no types: the one call made here. */
declare module 'dynalite' {
  import type { Server } from 'node:http'
  /** An HTTP server speaking DynamoDB's JSON protocol, in memory unless `path` names a LevelDB folder. */
  export default function dynalite (options?: { path?: string, createTableMs?: number }): Server
}
