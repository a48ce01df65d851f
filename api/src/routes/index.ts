import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'
import awsRoutes from './aws/index.js'
import healthRoutes from './health/index.js'
import meRoutes from './me/index.js'
import usersRoutes from './users/index.js'

/** The options every route plugin gets. */
export interface RouteOptions { config: Config }

/**
 * Every route plugin of the API, registered by app.ts in this order. Each route declares in its own file what
 * it needs (`config: { auth }`, read by auth/plugin.ts), so a new route is its file, a line here and its test.
 */
export const routes: Array<FastifyPluginAsync<RouteOptions>> = [healthRoutes, meRoutes, usersRoutes, awsRoutes]
