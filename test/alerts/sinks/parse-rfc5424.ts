/**
 * A small RFC 5424 §6 parser written for the tests, independent of the formatter under test:
 * HEADER fields, STRUCTURED-DATA elements with §6.3.3 unescaping, and MSG (BOM stripped).
 */
export interface ParsedSyslog {
  readonly pri: number;
  readonly version: number;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  readonly sd: Record<string, Record<string, string>>;
  readonly msg: string;
  readonly hadBom: boolean;
}

export function parseRfc5424(line: string): ParsedSyslog {
  const head = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(line);
  if (!head) throw new Error(`not RFC 5424: ${line}`);
  let i = head[0].length;
  const sd: Record<string, Record<string, string>> = {};
  if (line[i] === '-') {
    i += 1;
  } else {
    while (line[i] === '[') {
      const idEnd = line.slice(i).search(/[ \]]/) + i;
      const id = line.slice(i + 1, idEnd);
      const params: Record<string, string> = {};
      i = idEnd;
      while (line[i] === ' ') {
        const eq = line.indexOf('=', i);
        const name = line.slice(i + 1, eq);
        if (line[eq + 1] !== '"') throw new Error('PARAM-VALUE must be quoted');
        let j = eq + 2;
        let value = '';
        while (line[j] !== '"') {
          if (line[j] === '\\' && ['"', '\\', ']'].includes(line[j + 1] ?? '')) j += 1;
          value += line[j];
          j += 1;
          if (j >= line.length) throw new Error('unterminated PARAM-VALUE');
        }
        params[name] = value;
        i = j + 1;
      }
      if (line[i] !== ']') throw new Error(`SD-ELEMENT not closed at ${i}`);
      sd[id] = params;
      i += 1;
    }
  }
  let msg = line[i] === ' ' ? line.slice(i + 1) : line.slice(i);
  const hadBom = msg.startsWith('\uFEFF');
  if (hadBom) msg = msg.slice(1);
  return {
    pri: Number(head[1]),
    version: Number(head[2]),
    timestamp: head[3] ?? '',
    hostname: head[4] ?? '',
    appName: head[5] ?? '',
    procId: head[6] ?? '',
    msgId: head[7] ?? '',
    sd,
    msg,
    hadBom,
  };
}

/** RFC 6587 §3.4.1 octet-counting de-framer over a byte stream. */
export function deframeOctetCounted(stream: Buffer): string[] {
  const messages: string[] = [];
  let at = 0;
  while (at < stream.length) {
    const space = stream.indexOf(0x20, at);
    const length = Number(stream.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) throw new Error(`bad MSG-LEN at ${at}`);
    messages.push(stream.subarray(space + 1, space + 1 + length).toString('utf8'));
    at = space + 1 + length;
  }
  return messages;
}
