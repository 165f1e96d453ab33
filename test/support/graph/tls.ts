import selfsigned from 'selfsigned';
import { Agent } from 'undici';
import type { Dispatcher } from '../../../server/connectors/graph/transport';

/**
 * A certificate for 127.0.0.1, made at test time: msal refuses an authority that is not
 * https, so the fake Microsoft cloud serves https with it, and the connector trusts it through
 * its transport's dispatcher, as it would a private CA.
 */
export async function localCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * An HTTP agent that trusts `ca`, for the connector's transport. undici's own types and the
 * copy Node's fetch is typed with differ in details that do not matter here.
 */
export const trusting = (ca: string) => new Agent({ connect: { ca } }) as unknown as Dispatcher;
