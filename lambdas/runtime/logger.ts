/**
 * The Powertools logger every handler shares: structured JSON logs with the service
 * name from `POWERTOOLS_SERVICE_NAME` and the level from `LOG_LEVEL` (both set by
 * infra/functions.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** The one logger instance of a function. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pitstop' });
