// The passkey ceremonies in the browser: the server's options → the browser's prompt (through
// @simplewebauthn/browser, which turns the JSON options into navigator.credentials calls and back) → the server.
// A prompt the person cancels, or one the browser cannot show, becomes an ApiError with a client code, so the
// screens show it like any other failure.
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
} from '@simplewebauthn/browser';
import type { PasskeyView, SessionResponse, StepUpResponse } from '../../core/api-types';
import { ApiError, type ApiClient } from './api';

export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** Makes a passkey on this device and registers it on the account. */
export async function createPasskey(api: ApiClient): Promise<PasskeyView> {
  const { options } = await api.passkeyRegistrationOptions();
  const response = await prompt(() => startRegistration({ optionsJSON: options }));
  return api.registerPasskey({ response });
}

/** Logs in with a passkey; with a username, the browser is told which passkeys that account has. */
export async function logInWithPasskey(api: ApiClient, username?: string): Promise<SessionResponse> {
  const { options } = await api.passkeyLoginOptions(username);
  const response = await prompt(() => startAuthentication({ optionsJSON: options }));
  return api.logInWithPasskey(username ? { username, response } : { response });
}

/** Confirms with a passkey that the account's owner is here (step-up). */
export async function confirmWithPasskey(api: ApiClient): Promise<StepUpResponse> {
  const { options } = await api.stepUpOptions();
  const response = await prompt(() => startAuthentication({ optionsJSON: options }));
  return api.stepUp({ response });
}

/**
 * Runs `action`; if the server asks for a fresh passkey confirmation first (`step-up-required`), confirms and
 * runs it once more.
 */
export async function withStepUp<T>(api: ApiClient, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'step-up-required') throw error;
  }
  await confirmWithPasskey(api);
  return action();
}

async function prompt<T>(ceremony: () => Promise<T>): Promise<T> {
  if (!passkeysSupported()) {
    throw new ApiError('passkey-unsupported', 'This browser cannot use passkeys. Try another browser or device.');
  }
  try {
    return await ceremony();
  } catch (error) {
    if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
      throw new ApiError('passkey-cancelled', 'This device already has a passkey for your account.');
    }
    // NotAllowedError covers both "cancelled" and "timed out": browsers do not tell them apart, on purpose.
    throw new ApiError('passkey-cancelled', 'The passkey prompt was cancelled or timed out. Try again.');
  }
}
