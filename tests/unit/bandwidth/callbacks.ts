// Voice API callbacks as Bandwidth sends them (the shapes of bandwidth.yml's callback schemas, as the sandbox's
// calls produce them); every one is checked against bandwidth.yml before a test uses it.
import { assertCallback } from '../../support/bandwidth-openapi';

export const ACCOUNT_ID = '9900000';
export const APPLICATION_ID = '7fc9698a-b04a-468b-9e8f-91238c0d0086';
export const PSTN = '+13233326955';
export const IN_APP_NUMBER = '+19845550199';
export const ALICE = '+19195551001';
export const PARKED = 'c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85';
export const DIALPAD = 'c-2a913f94-6a486f3a-3cae-4034-bcc3-f0c9fa77ca2f';
export const LEG = 'c-b7e5d2a0-91f7e02e-6e3c-4a52-a1b9-7c6f4c8f3d11';

type Fields = Record<string, string>;

function callback(eventType: string, callId: string, fields: Fields): Record<string, string> {
  const body: Record<string, string> = {
    eventType,
    eventTime: '2026-11-26T10:00:01.250Z',
    accountId: ACCOUNT_ID,
    applicationId: APPLICATION_ID,
    direction: 'inbound',
    callId,
    callUrl: `https://voice.bandwidth.com/api/v2/accounts/${ACCOUNT_ID}/calls/${callId}`,
    startTime: '2026-11-26T10:00:00.950Z',
    ...fields,
  };
  assertCallback(body);
  return body;
}

export const initiate = (callId: string, from: string, to: string, uui?: string) =>
  callback('initiate', callId, { from, to, ...(uui === undefined ? {} : { uui }) });

export const redirectCallback = (callId: string) =>
  callback('redirect', callId, { from: PSTN, to: ALICE, answerTime: '2026-11-26T10:00:01.000Z' });

export const disconnect = (callId: string, cause: string) =>
  callback('disconnect', callId, {
    from: PSTN,
    to: ALICE,
    answerTime: '2026-11-26T10:00:01.000Z',
    endTime: '2026-11-26T10:00:20.000Z',
    cause,
  });

export const transferAnswer = (legId: string) =>
  callback('transferAnswer', legId, {
    from: ALICE,
    to: '+19195550100',
    direction: 'outbound',
    answerTime: '2026-11-26T10:00:05.000Z',
    transferCallerId: ALICE,
    transferTo: '+19195550100',
  });

export const transferComplete = (callId: string, cause: string) =>
  callback('transferComplete', callId, {
    from: IN_APP_NUMBER,
    to: '+19195550100',
    answerTime: '2026-11-26T10:00:01.000Z',
    transferCallerId: ALICE,
    transferTo: '+19195550100',
    cause,
  });

export const transferDisconnect = (legId: string, parentCallId: string) =>
  callback('transferDisconnect', legId, {
    from: ALICE,
    to: '+19195550100',
    direction: 'outbound',
    parentCallId,
    answerTime: '2026-11-26T10:00:05.000Z',
    endTime: '2026-11-26T10:00:30.000Z',
    transferCallerId: ALICE,
    transferTo: '+19195550100',
    cause: 'hangup',
  });

export const bridgeComplete = (callId: string) =>
  callback('bridgeComplete', callId, { from: IN_APP_NUMBER, to: ALICE, cause: 'hangup' });

export const recordingAvailable = (callId: string, recordingId: string, status = 'complete') =>
  callback('recordingAvailable', callId, {
    from: PSTN,
    to: ALICE,
    recordingId,
    mediaUrl: `https://voice.bandwidth.com/api/v2/accounts/${ACCOUNT_ID}/calls/${callId}/recordings/${recordingId}/media`,
    enqueuedTime: '2026-11-26T10:00:30.000Z',
    endTime: '2026-11-26T10:00:34.000Z',
    duration: 'PT3.2S',
    fileFormat: 'wav',
    status,
  });
