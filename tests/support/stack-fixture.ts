// One running stack (in-memory Azurite, the sandbox, the local host; no dialpad unless asked) per
// test file, plus the sign-up steps most API tests start from.
import { after, before } from 'node:test';
import { startStack, type Stack, type StackOptions } from '../../dev/stack';
import { callApi } from './api-client';
import { SandboxControl } from './sandbox-control';
import { GENEROUS_LIMITS } from './test-limits';

export interface StackFixture {
  readonly stack: Stack;
  readonly sandbox: SandboxControl;
}

/**
 * Starts the stack in before() and stops it in after(); read the fields inside tests only. The stack runs with
 * GENEROUS_LIMITS unless `options.env` sets a limit itself.
 */
export function useStack(options: StackOptions = {}): StackFixture {
  let stack: Stack | undefined;
  let sandbox: SandboxControl | undefined;
  before(async () => {
    stack = await startStack({ ...options, env: { ...GENEROUS_LIMITS, ...options.env } });
    sandbox = new SandboxControl(stack.sandbox!.baseUrl);
  });
  after(async () => {
    await stack?.stop();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the stack is not started yet');
      return stack;
    },
    get sandbox() {
      if (!sandbox) throw new Error('the stack is not started yet');
      return sandbox;
    },
  };
}

let counter = 0;
/** A username no other test in this process uses. */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}${Date.now().toString(36).slice(-4)}`;
}

/** A number a search offered, with the signature sign-up needs to order it. */
export interface Offer {
  number: string;
  signature: string;
}

/** Searches `areaCode` and returns the first number offered, with its signature. */
export async function firstOffer(apiUrl: string, areaCode = '919'): Promise<Offer> {
  const res = await callApi(apiUrl, 'GET', `/api/numbers?areaCode=${areaCode}&quantity=5`);
  if (res.status !== 200 || !res.json.numbers?.length) {
    throw new Error(`number search failed: ${res.status} ${JSON.stringify(res.json)}`);
  }
  const [first] = res.json.numbers as Offer[];
  return { number: first!.number, signature: first!.signature };
}

const handedOut = new Set<string>();
/**
 * An offer (number + signature) no earlier call in this process handed out: for tests that sign up many people,
 * where a stack with SEARCH_CACHE_SECONDS=0 may offer a number again until it is ordered.
 */
export async function freshOffer(apiUrl: string, areaCode = '919'): Promise<Offer> {
  const res = await callApi(apiUrl, 'GET', `/api/numbers?areaCode=${areaCode}&quantity=50`);
  if (res.status !== 200) throw new Error(`number search failed: ${res.status} ${JSON.stringify(res.json)}`);
  const offer = (res.json.numbers as Offer[]).find((n) => !handedOut.has(n.number));
  if (!offer) throw new Error(`every number the search offered in ${areaCode} was handed out already`);
  handedOut.add(offer.number);
  return { number: offer.number, signature: offer.signature };
}

/** Searches `areaCode` and returns the first available E.164 number. */
export async function firstAvailableNumber(apiUrl: string, areaCode = '919'): Promise<string> {
  return (await firstOffer(apiUrl, areaCode)).number;
}

export interface SignedUp {
  username: string;
  number: string;
  sipUri: string;
  token: string;
}

/** Signs up a fresh user with the first number found, asserting 201. */
export async function signUpUser(apiUrl: string, areaCode = '919'): Promise<SignedUp> {
  const username = uniqueUsername();
  const { number, signature } = await firstOffer(apiUrl, areaCode);
  const res = await callApi(apiUrl, 'POST', '/api/users', { body: { username, number, signature } });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { username, number, sipUri: res.json.user.sipUri, token: res.json.token };
}
