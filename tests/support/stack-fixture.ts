// One running stack (in-memory Azurite, the sandbox, the local host; no dialpad unless asked) per
// test file, plus the sign-up steps most API tests start from.
import { after, before } from 'node:test';
import { startStack, type Stack, type StackOptions } from '../../dev/stack';
import { callApi } from './api-client';
import { SandboxControl } from './sandbox-control';

export interface StackFixture {
  readonly stack: Stack;
  readonly sandbox: SandboxControl;
}

/** Starts the stack in before() and stops it in after(); read the fields inside tests only. */
export function useStack(options: StackOptions = {}): StackFixture {
  let stack: Stack | undefined;
  let sandbox: SandboxControl | undefined;
  before(async () => {
    stack = await startStack(options);
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

/** Searches `areaCode` and returns the first available E.164 number. */
export async function firstAvailableNumber(apiUrl: string, areaCode = '919'): Promise<string> {
  const res = await callApi(apiUrl, 'GET', `/api/numbers?areaCode=${areaCode}&quantity=5`);
  if (res.status !== 200 || !res.json.numbers?.length) {
    throw new Error(`number search failed: ${res.status} ${JSON.stringify(res.json)}`);
  }
  return res.json.numbers[0].number as string;
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
  const number = await firstAvailableNumber(apiUrl, areaCode);
  const res = await callApi(apiUrl, 'POST', '/api/users', { body: { username, number } });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { username, number, sipUri: res.json.user.sipUri, token: res.json.token };
}
