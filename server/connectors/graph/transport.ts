import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export type Dispatcher = NonNullable<RequestInit['dispatcher']>;

/** How calls to Microsoft Entra and Graph leave this process. */
export interface Transport {
  /**
   * An undici dispatcher for every call: a proxy, or an agent trusting a private CA (tests run
   * the fake Microsoft cloud over https with a certificate made at start). Unset: Node's own.
   */
  dispatcher?: Dispatcher;
  /** Per attempt; a call that takes longer fails and is retried on the fulfillment schedule. */
  timeoutMs: number;
}

/**
 * msal's network client, on the same fetch as the Graph client: msal's own sends token
 * requests with no time limit, and a stuck sign-in would hold a fulfillment worker.
 */
export function msalNetworkClient(t: Transport): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions = {},
  ): Promise<NetworkResponse<T>> => {
    const res = await fetch(url, {
      method,
      headers: options.headers,
      body: method === 'POST' ? (options.body ?? '') : undefined,
      dispatcher: t.dispatcher,
      signal: AbortSignal.timeout(t.timeoutMs),
    });
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: (await res.json()) as T,
    };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}
