import net from 'node:net';
import tls from 'node:tls';

/**
 * A small ManageSieve client (RFC 5804): enough to read scripts for the
 * forwarding audit (and to upload one in tests). No maintained npm client
 * exists. Plain TCP + STARTTLS (the protocol's usual port 4190), or implicit
 * TLS; AUTHENTICATE PLAIN only, refused over an unencrypted connection unless
 * the caller allows it (loopback test servers).
 */
export type SieveTls = 'starttls' | 'tls' | 'none';
export type SieveConnectOptions = {
  host: string;
  port: number;
  tls: SieveTls;
  user: string;
  password: string;
  timeoutMs?: number;
  /** Test servers present self-signed certificates. */
  rejectUnauthorized?: boolean;
};
export type SieveScript = { name: string; active: boolean };

export class SieveError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'auth_failed' | 'protocol' | 'no_tls',
    message: string,
  ) {
    super(message);
    this.name = 'SieveError';
  }
}

type Token =
  | { type: 'atom'; value: string }
  | { type: 'string'; value: string }
  | { type: 'lparen' }
  | { type: 'rparen' }
  | { type: 'eol' };
type Response = { status: 'OK' | 'NO' | 'BYE'; code: string | null; message: string; lines: Token[][] };

const MAX_BUFFER = 8 * 1024 * 1024;

export class ManageSieveClient {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private closed: Error | null = null;
  capabilities = new Map<string, string>();

  private constructor(
    private socket: net.Socket | tls.TLSSocket,
    private readonly timeoutMs: number,
  ) {
    this.attach(socket);
  }

  static async connect(options: SieveConnectOptions): Promise<ManageSieveClient> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const socket = await openSocket(options, timeoutMs);
    const client = new ManageSieveClient(socket, timeoutMs);
    try {
      await client.readCapabilities();
      if (options.tls === 'starttls') {
        if (!client.capabilities.has('STARTTLS')) throw new SieveError('no_tls', 'the server does not offer STARTTLS');
        await client.command('STARTTLS');
        await client.upgrade(options);
        await client.readCapabilities();
      }
      const encrypted = options.tls !== 'none';
      const mechanisms = (client.capabilities.get('SASL') ?? '').toUpperCase().split(/\s+/);
      if (!mechanisms.includes('PLAIN')) throw new SieveError('auth_failed', 'the server does not accept AUTHENTICATE PLAIN');
      if (!encrypted && !isLoopback(options.host)) throw new SieveError('no_tls', 'refusing to send a password without TLS');
      const plain = Buffer.from(`\0${options.user}\0${options.password}`, 'utf8').toString('base64');
      const auth = await client.request(`AUTHENTICATE "PLAIN" ${quote(plain)}`);
      if (auth.status !== 'OK') throw new SieveError('auth_failed', `login refused: ${auth.message || auth.status}`);
      // RFC 5804 2.1: a server may send capabilities again after a SASL security layer; PLAIN has none.
      return client;
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  async listScripts(): Promise<SieveScript[]> {
    const response = await this.command('LISTSCRIPTS');
    return response.lines.flatMap((line) => {
      const [name, flag] = line;
      if (name?.type !== 'string') return [];
      return [{ name: name.value, active: flag?.type === 'atom' && flag.value.toUpperCase() === 'ACTIVE' }];
    });
  }

  async getScript(name: string): Promise<string> {
    const response = await this.command(`GETSCRIPT ${quote(name)}`);
    const body = response.lines[0]?.[0];
    if (body?.type !== 'string') throw new SieveError('protocol', `GETSCRIPT ${name}: no script in the answer`);
    return body.value;
  }

  async putScript(name: string, script: string): Promise<void> {
    await this.command(`PUTSCRIPT ${quote(name)} ${literal(script)}`);
  }

  async setActive(name: string): Promise<void> {
    await this.command(`SETACTIVE ${quote(name)}`);
  }

  async deleteScript(name: string): Promise<void> {
    await this.command(`DELETESCRIPT ${quote(name)}`);
  }

  async logout(): Promise<void> {
    try {
      await this.request('LOGOUT');
    } catch {
      // The server may close before we read its answer.
    } finally {
      this.destroy();
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket | tls.TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      if (this.buffer.length > MAX_BUFFER) socket.destroy(new Error('ManageSieve answer too large'));
      this.wake();
    });
    socket.on('error', (error) => {
      this.closed = error;
      this.wake();
    });
    socket.on('close', () => {
      this.closed ??= new Error('connection closed');
      this.wake();
    });
  }

  private wake() {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  private async upgrade(options: SieveConnectOptions) {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    this.buffer = Buffer.alloc(0);
    const secure = tls.connect({
      socket: plain,
      servername: net.isIP(options.host) ? undefined : options.host,
      rejectUnauthorized: options.rejectUnauthorized ?? true,
    });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  private async readCapabilities() {
    const response = await this.readResponse();
    if (response.status !== 'OK') throw new SieveError('unavailable', `server refused: ${response.message}`);
    this.capabilities = new Map();
    for (const line of response.lines) {
      const [name, value] = line;
      if (name?.type === 'string') this.capabilities.set(name.value.toUpperCase(), value?.type === 'string' ? value.value : '');
    }
  }

  private async command(text: string): Promise<Response> {
    const response = await this.request(text);
    if (response.status !== 'OK') {
      throw new SieveError('protocol', `${text.split(' ')[0]} failed: ${response.code ? `(${response.code}) ` : ''}${response.message}`);
    }
    return response;
  }

  private async request(text: string): Promise<Response> {
    this.socket.write(`${text}\r\n`);
    return this.readResponse();
  }

  /** Lines of tokens until one starts with OK, NO or BYE (RFC 5804 section 4). */
  private async readResponse(): Promise<Response> {
    const lines: Token[][] = [];
    let line: Token[] = [];
    for (;;) {
      const token = await this.nextToken();
      if (token.type !== 'eol') {
        line.push(token);
        continue;
      }
      const first = line[0];
      if (first?.type === 'atom' && ['OK', 'NO', 'BYE'].includes(first.value.toUpperCase())) {
        let code: string | null = null;
        let message = '';
        let i = 1;
        if (line[i]?.type === 'lparen') {
          const parts: string[] = [];
          for (i++; i < line.length && line[i]?.type !== 'rparen'; i++) {
            const t = line[i];
            if (t && (t.type === 'atom' || t.type === 'string')) parts.push(t.value);
          }
          code = parts.join(' ');
          i++;
        }
        const text = line[i];
        if (text?.type === 'string') message = text.value;
        return { status: first.value.toUpperCase() as Response['status'], code, message, lines };
      }
      lines.push(line);
      line = [];
    }
  }

  private async nextToken(): Promise<Token> {
    for (;;) {
      const token = this.parseToken();
      if (token) return token;
      if (this.closed) throw new SieveError('unavailable', `ManageSieve connection lost: ${this.closed.message}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new SieveError('unavailable', 'ManageSieve server did not answer in time')), this.timeoutMs);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One token from the buffer, or null when more bytes are needed. */
  private parseToken(): Token | null {
    const b = this.buffer;
    let i = 0;
    while (i < b.length && b[i] === 0x20) i++;
    if (i >= b.length) return null;
    const c = b[i] as number;
    const consume = (end: number, token: Token) => {
      this.buffer = b.subarray(end);
      return token;
    };
    if (c === 0x0d || c === 0x0a) {
      if (c === 0x0d) {
        if (i + 1 >= b.length) return null;
        return consume(b[i + 1] === 0x0a ? i + 2 : i + 1, { type: 'eol' });
      }
      return consume(i + 1, { type: 'eol' });
    }
    if (c === 0x28) return consume(i + 1, { type: 'lparen' });
    if (c === 0x29) return consume(i + 1, { type: 'rparen' });
    if (c === 0x22) {
      const bytes: number[] = [];
      for (let j = i + 1; j < b.length; j++) {
        const d = b[j] as number;
        if (d === 0x5c) {
          if (j + 1 >= b.length) return null;
          bytes.push(b[j + 1] as number);
          j++;
        } else if (d === 0x22) return consume(j + 1, { type: 'string', value: Buffer.from(bytes).toString('utf8') });
        else bytes.push(d);
      }
      return null;
    }
    if (c === 0x7b) {
      const close = b.indexOf(0x7d, i);
      if (close < 0) return null;
      const size = Number(
        b
          .subarray(i + 1, close)
          .toString('ascii')
          .replace('+', ''),
      );
      if (!Number.isSafeInteger(size) || size < 0) throw new SieveError('protocol', 'bad literal size');
      const start = close + 3; // "}\r\n"
      if (b.length < start + size) return null;
      return consume(start + size, { type: 'string', value: b.subarray(start, start + size).toString('utf8') });
    }
    let j = i;
    while (j < b.length && ![0x20, 0x0d, 0x0a, 0x28, 0x29, 0x22, 0x7b].includes(b[j] as number)) j++;
    if (j >= b.length) return null;
    return consume(j, { type: 'atom', value: b.subarray(i, j).toString('utf8') });
  }
}

function quote(value: string): string {
  if (/[\r\n\0]/.test(value)) return literal(value);
  return `"${value.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
}

function literal(value: string): string {
  return `{${Buffer.byteLength(value, 'utf8')}+}\r\n${value}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function openSocket(options: SieveConnectOptions, timeoutMs: number): Promise<net.Socket | tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket =
      options.tls === 'tls'
        ? tls.connect({
            host: options.host,
            port: options.port,
            servername: net.isIP(options.host) ? undefined : options.host,
            rejectUnauthorized: options.rejectUnauthorized ?? true,
          })
        : net.connect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SieveError('unavailable', `no ManageSieve answer from ${options.host}:${options.port}`));
    }, timeoutMs);
    socket.once(options.tls === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new SieveError('unavailable', `cannot reach ManageSieve at ${options.host}:${options.port}: ${error.message}`));
    });
  });
}
