/** What an authentication policy gives the call that uses it. */

export interface Authorization {
  /** The scheme named in the `Authorization` header: `Basic`, `Bearer` or `Digest`. */
  readonly scheme: string;
  /** The header for the first attempt; absent for digest, which first needs the server's challenge. */
  readonly header?: string;
  /**
   * The header answering a `401` whose `WWW-Authenticate` is `challenge`, for a request with this
   * method and request-target; undefined when the challenge is not one this scheme answers.
   */
  readonly answer?: (challenge: string, method: string, target: string) => string | undefined;
  /**
   * A fresh authorization after the resource refused a cached token (it was revoked or expired
   * early); undefined for schemes whose credentials cannot change between attempts.
   */
  readonly renew?: () => Promise<Authorization>;
  /** Credentials and tokens to cut out of everything the activity returns. */
  readonly secrets: readonly string[];
}
