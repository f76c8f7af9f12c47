// Every browser journey of the dialpad (support/dialpad-journeys.ts) on the Bandwidth provider.
import { describeDialpadJourneys } from './support/dialpad-journeys';

describeDialpadJourneys('bandwidth');
