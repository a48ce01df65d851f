/**
 * tap's `before` (.taprc): builds the API once, before the suites start in parallel, unless api/dist is current
 * (after `npm run build` it is). Each suite still makes sure of it itself, so any file also runs alone.
 */
import { ensureApi } from '../../local/src/stack.js'

await ensureApi()
