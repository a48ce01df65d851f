// Entry for bench/size.ts: the SDK alone, as any app that creates a client pulls it in.
import { createAuth0Client } from '@auth0/auth0-spa-js'

Object.assign(window, { createAuth0Client })
