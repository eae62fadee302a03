/**
 * A transport that asks for the task's `protocolVersion` in the handshake (the SDK's client always
 * proposes its newest) and remembers the version the server settled on, so the call can refuse a
 * server that answered with another.
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export class PinnedVersionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** What the server answered to `initialize`; undefined before the handshake. */
  agreed: string | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly version: string,
  ) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message) => this.onmessage?.(message);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('method' in message && message.method === 'initialize' && 'id' in message) {
      return this.inner.send({ ...message, params: { ...message.params, protocolVersion: this.version } }, options);
    }
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.agreed = version;
    this.inner.setProtocolVersion?.(version);
  }
}
