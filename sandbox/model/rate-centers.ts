// The sandbox's number geography: NANP area codes in several states, each split into rate centers
// with their cities, LATA, ZIP codes and the exchanges (NXX) the inventory draws numbers from.
// Exchanges avoid 555 and N11, so `+1<NPA>555xxxx` is never in the inventory (always an outside phone).

export interface RateCenter {
  areaCode: string;
  state: string;
  city: string; // upper case, as Catapult returns it
  rateCenter: string;
  lata: string;
  zips: readonly string[];
  exchanges: readonly string[];
}

export const RATE_CENTERS: readonly RateCenter[] = [
  {
    areaCode: '919',
    state: 'NC',
    city: 'RALEIGH',
    rateCenter: 'RALEIGH',
    lata: '426',
    zips: ['27601', '27603', '27609'],
    exchanges: ['232', '615'],
  },
  {
    areaCode: '919',
    state: 'NC',
    city: 'CARY',
    rateCenter: 'CARY',
    lata: '426',
    zips: ['27511', '27513'],
    exchanges: ['380', '459'],
  },
  {
    areaCode: '919',
    state: 'NC',
    city: 'DURHAM',
    rateCenter: 'DURHAM',
    lata: '426',
    zips: ['27701', '27705'],
    exchanges: ['286', '683'],
  },
  {
    areaCode: '984',
    state: 'NC',
    city: 'RALEIGH',
    rateCenter: 'RALEIGH',
    lata: '426',
    zips: ['27601', '27604'],
    exchanges: ['204', '365'],
  },
  {
    areaCode: '984',
    state: 'NC',
    city: 'APEX',
    rateCenter: 'APEX',
    lata: '426',
    zips: ['27502', '27523'],
    exchanges: ['229'],
  },
  {
    areaCode: '212',
    state: 'NY',
    city: 'NEW YORK CITY',
    rateCenter: 'NWYRCYZN01',
    lata: '132',
    zips: ['10001', '10016', '10036'],
    exchanges: ['226', '391', '764'],
  },
  {
    areaCode: '718',
    state: 'NY',
    city: 'BROOKLYN',
    rateCenter: 'NWYRCYZN03',
    lata: '132',
    zips: ['11201', '11215'],
    exchanges: ['222', '499'],
  },
  {
    areaCode: '718',
    state: 'NY',
    city: 'QUEENS',
    rateCenter: 'NWYRCYZN04',
    lata: '132',
    zips: ['11101', '11375'],
    exchanges: ['361', '830'],
  },
  {
    areaCode: '415',
    state: 'CA',
    city: 'SAN FRANCISCO',
    rateCenter: 'SNFC CNTRL',
    lata: '722',
    zips: ['94102', '94110', '94117'],
    exchanges: ['252', '431', '863'],
  },
  {
    areaCode: '650',
    state: 'CA',
    city: 'PALO ALTO',
    rateCenter: 'PALO ALTO',
    lata: '722',
    zips: ['94301', '94306'],
    exchanges: ['321', '493'],
  },
  {
    areaCode: '650',
    state: 'CA',
    city: 'SAN MATEO',
    rateCenter: 'SNMT SNMT',
    lata: '722',
    zips: ['94401', '94403'],
    exchanges: ['342', '577'],
  },
  {
    areaCode: '512',
    state: 'TX',
    city: 'AUSTIN',
    rateCenter: 'AUSTIN',
    lata: '558',
    zips: ['78701', '78704', '78751'],
    exchanges: ['236', '474', '828'],
  },
  {
    areaCode: '512',
    state: 'TX',
    city: 'ROUND ROCK',
    rateCenter: 'ROUNDROCK',
    lata: '558',
    zips: ['78664', '78681'],
    exchanges: ['244'],
  },
  {
    areaCode: '206',
    state: 'WA',
    city: 'SEATTLE',
    rateCenter: 'SEATTLE',
    lata: '674',
    zips: ['98101', '98109', '98122'],
    exchanges: ['283', '324', '728'],
  },
  {
    areaCode: '312',
    state: 'IL',
    city: 'CHICAGO',
    rateCenter: 'CHICAGO',
    lata: '358',
    zips: ['60601', '60606', '60611'],
    exchanges: ['236', '346', '782'],
  },
  {
    areaCode: '404',
    state: 'GA',
    city: 'ATLANTA',
    rateCenter: 'ATLANTA',
    lata: '438',
    zips: ['30303', '30308', '30309'],
    exchanges: ['221', '523', '874'],
  },
  {
    areaCode: '305',
    state: 'FL',
    city: 'MIAMI',
    rateCenter: 'MIAMI',
    lata: '460',
    zips: ['33101', '33130', '33131'],
    exchanges: ['358', '416', '677'],
  },
  {
    areaCode: '305',
    state: 'FL',
    city: 'KEY WEST',
    rateCenter: 'KEY WEST',
    lata: '460',
    zips: ['33040'],
    exchanges: ['292'],
  },
  {
    areaCode: '617',
    state: 'MA',
    city: 'BOSTON',
    rateCenter: 'BOSTON',
    lata: '128',
    zips: ['02108', '02116', '02134'],
    exchanges: ['227', '482', '859'],
  },
  {
    areaCode: '303',
    state: 'CO',
    city: 'DENVER',
    rateCenter: 'DENVER',
    lata: '656',
    zips: ['80202', '80205', '80218'],
    exchanges: ['292', '534', '861'],
  },
];

/** Numbers generated per exchange; every area code ends up with 50+ numbers. */
export const NUMBERS_PER_EXCHANGE = 24;

export const TOLL_FREE_PREFIXES: readonly string[] = ['800', '833', '844', '855', '866', '877', '888'];
export const TOLL_FREE_PER_PREFIX = 20;

export const LOCAL_PRICE = '0.60';
export const TOLL_FREE_PRICE = '1.00';
