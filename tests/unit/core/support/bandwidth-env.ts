// A complete Bandwidth environment for core tests (the values are made up; nothing is sent anywhere).
export const BANDWIDTH_ENV: Record<string, string> = {
  BANDWIDTH_ACCOUNT_ID: '9900000',
  BANDWIDTH_CLIENT_ID: 'main-client-id',
  BANDWIDTH_CLIENT_SECRET: 'main-client-secret-value',
  BANDWIDTH_WEBRTC_CLIENT_ID: 'webrtc-client-id',
  BANDWIDTH_WEBRTC_CLIENT_SECRET: 'webrtc-client-secret-value',
  BANDWIDTH_IN_APP_NUMBERS: '+19195550100',
  WEB_PUBSUB_CONNECTION_STRING:
    'Endpoint=https://voiceref.webpubsub.azure.com;AccessKey=cHViLXN1Yi1rZXktdmFsdWU=;Version=1.0;',
  PUBLIC_BASE_URL: 'https://app.example.com',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  APP_SECRET: 'an-app-secret-that-is-long-enough-0123456789',
};
