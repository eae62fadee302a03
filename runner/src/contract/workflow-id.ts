/**
 * Workflow ids built from user input (event sources and ids, document versions) kept within
 * Temporal's length limit. An id over the limit is refused by the server, and from workflow code
 * that refusal fails the workflow task again and again: the registry that started the run is
 * stuck, events, deploys and queries included. Ids within the limit are left exactly as they were
 * (so histories recorded before this bound replay unchanged, without a patch); a longer one keeps
 * its readable start and ends in the SHA-256 of the whole, so it is as stable as the original
 * (exactly-once by id still holds) and two different inputs never share an id.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Temporal's default `limit.maxIDLength` (bytes), as on the dev server and a default cluster. */
export const MAX_WORKFLOW_ID_BYTES = 1000;

const DIGEST_SUFFIX = '/sha256-';
/** Hex SHA-256: 64 characters. */
const DIGEST_CHARS = 64;

/** `id` itself when it fits, else its start and the digest of the whole (at most MAX_WORKFLOW_ID_BYTES). */
export function boundedWorkflowId(id: string): string {
  const bytes = utf8ToBytes(id);
  if (bytes.length <= MAX_WORKFLOW_ID_BYTES) return id;
  const keep = MAX_WORKFLOW_ID_BYTES - DIGEST_SUFFIX.length - DIGEST_CHARS;
  return `${readableStart(id, keep)}${DIGEST_SUFFIX}${bytesToHex(sha256(bytes))}`;
}

/** The longest start of `text` within `maxBytes` of UTF-8 that does not split a character. */
function readableStart(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8ToBytes(char).length;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
