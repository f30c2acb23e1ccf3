// The parts of mailauth (no bundled types) that Pier uses.
declare module 'mailauth' {
  type Status = { result: string; comment?: string };
  export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;
  export function authenticate(
    input: Buffer | string | NodeJS.ReadableStream,
    options: {
      ip?: string;
      helo?: string;
      sender?: string;
      mta?: string;
      resolver?: DnsResolver;
      disableBimi?: boolean;
      trustReceived?: boolean;
    },
  ): Promise<{
    dkim?: { results?: { status: Status; signingDomain?: string }[] };
    spf?: { status: Status; domain?: string } | false;
    dmarc?: { status: Status; domain?: string } | false;
    arc?: { status: Status } | false;
    headers?: string;
  }>;
}
declare module 'mailauth/lib/dkim/sign.js' {
  export function dkimSign(
    input: Buffer | string,
    options: {
      canonicalization?: string;
      signTime?: Date;
      signatureData: { signingDomain: string; selector: string; privateKey: string; algorithm?: string }[];
    },
  ): Promise<{ signatures: string; errors: unknown[] }>;
}
