/**
 * The caller's public shapes: what a calling workflow sends to the runner and how it reaches it.
 * Types only, so workflow code (sandboxed) and activity code share them freely.
 */

/** What one hand-off to the runner carries. */
export interface ExecuteOnRunnerArgs {
  /**
   * The runner's execution id (and Temporal workflow id). Retries of the activity resend the same
   * id, which is what makes the runner re-target its callback instead of starting a second run.
   */
  readonly workflowExecutionId: string;
  /** A Serverless Workflow 1.0 document, YAML or JSON. */
  readonly workflowYaml: string;
  /** The workflow's `$input`: a JSON object (absent means `{}`). */
  readonly input?: Readonly<Record<string, unknown>>;
  /**
   * The namespace whose activity the runner completes. Defaults to the namespace the activity runs
   * in, which is where its task token belongs; set it only when a proxy or alias differs.
   */
  readonly callbackNamespace?: string;
}

/** How the activity reaches the runner's gRPC service. */
export interface RunnerConnectionOptions {
  /** host:port of the runner's gRPC service. */
  readonly runner: string;
  /**
   * TLS for the gRPC channel: `true` uses the system's roots; PEM buffers pin a CA and/or present
   * a client certificate. Absent means plaintext (loopback and private networks only).
   */
  readonly tls?: true | RunnerTlsOptions;
  /** A bearer token sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** How long one executeAsync call may take before it counts as unreachable (default 30 s). */
  readonly callTimeoutMs?: number;
}

export interface RunnerTlsOptions {
  readonly serverRootCACertificate?: Uint8Array;
  readonly clientCertPair?: { readonly crt: Uint8Array; readonly key: Uint8Array };
}

/** The activities a caller worker registers (see `createRunnerActivities`). */
export interface RunnerActivities {
  /**
   * Hands the workflow to the runner together with this activity's task token, then parks the
   * activity: it never returns a value itself; the runner completes it with the workflow's output.
   */
  executeOnRunner(args: ExecuteOnRunnerArgs): Promise<unknown>;
}
