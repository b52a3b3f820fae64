import {pyType} from './pyrepr.js'
import {HttpError} from './reply.js'

/**
 * The one check every JSON-object request body goes through: anything but an object is DRF's 400
 * `Invalid data. Expected a dictionary, but got <python type>.`
 */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, {non_field_errors: [`Invalid data. Expected a dictionary, but got ${pyType(body)}.`]})
  }
  return body as Record<string, unknown>
}
