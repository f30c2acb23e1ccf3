/**
 * Finds the actions in a Sieve script (RFC 5228) that send mail, or news of it,
 * somewhere else: `redirect` (with or without :copy), `notify` with a mailto:
 * method (RFC 5435), and Dovecot's `pipe`/`execute` extensions, which can hand
 * the message to any program. `vacation` answers the sender and is not a
 * forward; `fileinto`, `keep`, `discard` keep mail in the mailbox.
 *
 * The tokenizer follows the grammar closely enough not to be fooled: hash and
 * bracket comments, quoted strings with escapes, multi-line `text:` strings with
 * dot-stuffing, tagged arguments, string lists, tests and nested blocks.
 */
export type ForwardingAction = {
  kind: 'redirect' | 'redirect_copy' | 'notify' | 'pipe';
  /** The address (or program, for pipe) as written; variables such as ${x} are left as they are. */
  target: string;
  line: number;
};

type Tok =
  | { t: 'id'; v: string; line: number }
  | { t: 'tag'; v: string; line: number }
  | { t: 'str'; v: string; line: number }
  | { t: 'num'; v: string; line: number }
  | { t: 'punct'; v: string; line: number };

export class SieveSyntaxError extends Error {}

export function tokenizeSieve(script: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  const s = script;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) throw new SieveSyntaxError(`unterminated comment at line ${line}`);
      line += countNewlines(s.slice(i, end));
      i = end + 2;
    } else if (c === '"') {
      const start = line;
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new SieveSyntaxError(`unterminated string at line ${start}`);
        const d = s[i] as string;
        if (d === '\\') {
          v += s[i + 1] ?? '';
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          if (d === '\n') line++;
          v += d;
          i++;
        }
      }
      out.push({ t: 'str', v, line: start });
    } else if (/[a-zA-Z_]/.test(c)) {
      let j = i;
      while (j < s.length && /[a-zA-Z0-9_.]/.test(s[j] as string)) j++;
      const word = s.slice(i, j);
      // `text:` starts a multi-line string: the rest of the line is ignored, it ends at a line holding only ".".
      if (word.toLowerCase() === 'text' && s[j] === ':') {
        const start = line;
        const eol = s.indexOf('\n', j);
        if (eol < 0) throw new SieveSyntaxError(`text: without a body at line ${line}`);
        line++;
        let k = eol + 1;
        const body: string[] = [];
        for (;;) {
          const next = s.indexOf('\n', k);
          const raw = (next < 0 ? s.slice(k) : s.slice(k, next)).replace(/\r$/, '');
          if (raw === '.') {
            k = next < 0 ? s.length : next + 1;
            line++;
            break;
          }
          if (next < 0) throw new SieveSyntaxError(`unterminated text: starting at line ${start}`);
          body.push(raw.startsWith('..') ? raw.slice(1) : raw);
          line++;
          k = next + 1;
        }
        out.push({ t: 'str', v: body.join('\n'), line: start });
        i = k;
      } else {
        out.push({ t: 'id', v: word.toLowerCase(), line });
        i = j;
      }
    } else if (c === ':') {
      let j = i + 1;
      while (j < s.length && /[a-zA-Z0-9_]/.test(s[j] as string)) j++;
      out.push({ t: 'tag', v: s.slice(i + 1, j).toLowerCase(), line });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < s.length && /[0-9]/.test(s[j] as string)) j++;
      if (/[KMGkmg]/.test(s[j] ?? '')) j++;
      out.push({ t: 'num', v: s.slice(i, j), line });
      i = j;
    } else if ('[](){},;'.includes(c)) {
      out.push({ t: 'punct', v: c, line });
      i++;
    } else {
      throw new SieveSyntaxError(`unexpected "${c}" at line ${line}`);
    }
  }
  return out;
}

function countNewlines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\n') n++;
  return n;
}

/**
 * Walks the commands: an identifier at the start of a command, its arguments up
 * to `;` or a block. Tests (inside if/elsif conditions) are arguments, so a
 * header test that merely mentions "redirect" is never taken for the action.
 */
export function findForwardingActions(script: string): ForwardingAction[] {
  const toks = tokenizeSieve(script);
  const found: ForwardingAction[] = [];
  let i = 0;
  const commandStart = () => {
    const head = toks[i];
    if (!head) return;
    if (head.t === 'punct' && head.v === '}') {
      i++;
      return;
    }
    if (head.t !== 'id') throw new SieveSyntaxError(`expected a command at line ${head.line}`);
    i++;
    const args: Tok[] = [];
    let depth = 0;
    while (i < toks.length) {
      const tok = toks[i] as Tok;
      if (tok.t === 'punct' && (tok.v === '(' || tok.v === '[')) depth++;
      if (tok.t === 'punct' && (tok.v === ')' || tok.v === ']')) depth--;
      if (depth === 0 && tok.t === 'punct' && (tok.v === ';' || tok.v === '{')) {
        i++;
        break;
      }
      args.push(tok);
      i++;
    }
    const strings = args.filter((a) => a.t === 'str').map((a) => a.v);
    const tags = new Set(args.filter((a) => a.t === 'tag').map((a) => a.v));
    if (head.v === 'redirect') {
      // Tagged arguments (:copy, :notify "…", :ret "…", :bytimerelative n …) come before the address.
      const target = lastPositionalString(args);
      if (target !== undefined) found.push({ kind: tags.has('copy') ? 'redirect_copy' : 'redirect', target, line: head.line });
    } else if (head.v === 'notify') {
      const method = lastPositionalString(args);
      if (method?.toLowerCase().startsWith('mailto:')) {
        found.push({ kind: 'notify', target: decodeURIComponent(method.slice(7).split('?')[0] ?? ''), line: head.line });
      }
    } else if (head.v === 'pipe' || head.v === 'execute') {
      if (strings[0] !== undefined) found.push({ kind: 'pipe', target: strings[0], line: head.line });
    }
  };
  while (i < toks.length) commandStart();
  return found;
}

/** The last string that is not the value of a tag taking one (:from "x", :message "y" …). */
function lastPositionalString(args: Tok[]): string | undefined {
  const taggedWithValue = new Set([
    'from',
    'importance',
    'options',
    'message',
    'notify',
    'ret',
    'by',
    'bytimerelative',
    'bytimeabsolute',
    'bymode',
  ]);
  let last: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as Tok;
    if (a.t === 'tag' && taggedWithValue.has(a.v)) {
      k++; // skip the tag's value
      continue;
    }
    if (a.t === 'str') last = a.v;
  }
  return last;
}

/** The domain of an address, lower case; undefined when it is not a plain address (a variable, a program). */
export function addressDomain(target: string): string | undefined {
  const match = /^[^@\s<>]+@([^@\s<>]+)$/.exec(target.trim().replace(/^<|>$/g, ''));
  return match?.[1]?.toLowerCase().replace(/\.$/, '');
}
