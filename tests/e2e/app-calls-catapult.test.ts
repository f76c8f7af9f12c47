// Every browser journey of the dialpad (support/dialpad-journeys.ts) on the Catapult provider.
import { describeDialpadJourneys } from './support/dialpad-journeys';

describeDialpadJourneys('catapult');
