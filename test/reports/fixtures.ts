/** Report rows shaped like the KPI catalog's output for one week of the online-retail data. */
import type { SalesReportInput, TotalsRow } from '../../src/reports/types.js';

export const HOSTILE_NAME = '</text><script>alert("x")</script> & \'; DROP TABLE products;--';
export const ACCENTED_NAME = 'Crème brûlée dish £5 € Müller';
export const LATIN_EXT_NAME = 'Łódź ceramic mug – Škoda green';

export const weekTotals: TotalsRow = {
  orders: 1234, net_revenue: 287654.32, average_order_value: 241.93, customers: 812, return_rate: 0.0213, units: 164_201,
};
export const previousWeekTotals: TotalsRow = {
  orders: 1099, net_revenue: 298001.1, average_order_value: 281.4, customers: 790, return_rate: 0.0250, units: 150_002,
};

export function weekReportInput(overrides: Partial<SalesReportInput> = {}): SalesReportInput {
  return {
    shopName: 'Online Retail Ltd',
    currency: 'GBP',
    period: { from: '2011-11-13', to: '2011-11-20' },
    totals: weekTotals,
    previousTotals: previousWeekTotals,
    mostSold: [
      { product_id: '84077', product_name: 'WORLD WAR 2 GLIDERS ASSTD DESIGNS', units: 4320, revenue: 1022.4 },
      { product_id: '85123A', product_name: 'WHITE HANGING HEART T-LIGHT HOLDER', units: 2791, revenue: 7610.55 },
      { product_id: '23084', product_name: 'RABBIT NIGHT LIGHT', units: 2544, revenue: 4603.28 },
      { product_id: '22197', product_name: 'POPCORN HOLDER', units: 1988, revenue: 1617.91 },
      { product_id: '21212', product_name: 'PACK OF 72 RETROSPOT CAKE CASES', units: 1540, revenue: 770.0 },
      { product_id: 'X-ACC', product_name: ACCENTED_NAME, units: 1311, revenue: 6555.0 },
      { product_id: '22086', product_name: "PAPER CHAIN KIT 50'S CHRISTMAS ", units: 1204, revenue: 3335.08 },
      { product_id: 'X-HOST', product_name: HOSTILE_NAME, units: 990, revenue: 990.0 },
      { product_id: '84879', product_name: 'ASSORTED COLOUR BIRD ORNAMENT', units: 876, revenue: 1410.36 },
      { product_id: '90999', product_name: null, units: 512, revenue: 256.0 },
    ],
    mostOrders: [
      { product_id: '85123A', product_name: 'WHITE HANGING HEART T-LIGHT HOLDER', orders: 212 },
      { product_id: '22086', product_name: "PAPER CHAIN KIT 50'S CHRISTMAS ", orders: 187 },
      { product_id: '23084', product_name: 'RABBIT NIGHT LIGHT', orders: 166 },
      { product_id: 'X-EXT', product_name: LATIN_EXT_NAME, orders: 131 },
      { product_id: '22423', product_name: 'REGENCY CAKESTAND 3 TIER', orders: 120 },
      { product_id: '47566', product_name: 'PARTY BUNTING', orders: 98 },
      { product_id: '22910', product_name: 'PAPER CHAIN KIT VINTAGE CHRISTMAS', orders: 97 },
      { product_id: '22720', product_name: 'SET OF 3 CAKE TINS PANTRY DESIGN ', orders: 85 },
      { product_id: '21733', product_name: 'RED HANGING HEART T-LIGHT HOLDER', orders: 70 },
      { product_id: '22111', product_name: 'SCOTTIE DOG HOT WATER BOTTLE', orders: 64 },
    ],
    mostRevenue: [
      { product_id: '23084', product_name: 'RABBIT NIGHT LIGHT', revenue: 4603.28, units: 2544 },
      { product_id: '85123A', product_name: 'WHITE HANGING HEART T-LIGHT HOLDER', revenue: 7610.55, units: 2791 },
      { product_id: '22423', product_name: 'REGENCY CAKESTAND 3 TIER', revenue: 14821.5, units: 1210 },
      { product_id: 'DOT', product_name: 'DOTCOM POSTAGE', revenue: 9520.12, units: 14 },
      { product_id: 'X-ACC', product_name: ACCENTED_NAME, revenue: 6555.0, units: 1311 },
      { product_id: '22086', product_name: "PAPER CHAIN KIT 50'S CHRISTMAS ", revenue: 3335.08, units: 1204 },
      { product_id: '22910', product_name: 'PAPER CHAIN KIT VINTAGE CHRISTMAS', revenue: 2990.4, units: 1080 },
      { product_id: '47566', product_name: 'PARTY BUNTING', revenue: 2850.0, units: 600 },
      { product_id: '22720', product_name: 'SET OF 3 CAKE TINS PANTRY DESIGN ', revenue: 2611.2, units: 540 },
      { product_id: '21733', product_name: 'RED HANGING HEART T-LIGHT HOLDER', revenue: 1888.0, units: 680 },
    ],
    bestDates: [
      { day: '2011-11-13', revenue: 21004.1, orders: 96 },
      { day: '2011-11-14', revenue: 55012.77, orders: 231 },
      { day: '2011-11-15', revenue: 48310.0, orders: 208 },
      { day: '2011-11-16', revenue: 51877.45, orders: 220 },
      { day: '2011-11-17', revenue: 60112.3, orders: 251 },
      { day: '2011-11-18', revenue: 51337.7, orders: 228 },
    ],
    revenueByCountry: [
      { country: 'United Kingdom', revenue: 241003.2, orders: 1101 },
      { country: 'Germany', revenue: 9021.5, orders: 31 },
      { country: 'France', revenue: 8120.0, orders: 27 },
      { country: 'EIRE', revenue: 12877.1, orders: 22 },
      { country: 'Netherlands', revenue: 7001.0, orders: 6 },
      { country: 'Switzerland', revenue: 3120.9, orders: 9 },
      { country: 'Spain', revenue: 2510.0, orders: 12 },
      { country: 'Belgium', revenue: 1999.99, orders: 10 },
      { country: 'Österreich', revenue: 1001.83, orders: 4 },
    ],
    revenueByCategory: [
      { category: 'Home décor', revenue: 98000.0, units: 40210 },
      { category: 'Christmas', revenue: 71500.55, units: 52011 },
      { category: 'Kitchen & dining', revenue: 55010.0, units: 30999 },
      { category: 'Party', revenue: 31000.2, units: 25011 },
      { category: 'Gifts', revenue: 22143.57, units: 12020 },
      { category: 'Postage', revenue: 10000.0, units: 3950 },
    ],
    highAttention: [
      { product_id: '23084', product_name: 'RABBIT NIGHT LIGHT', views: 1830 },
      { product_id: '85123A', product_name: 'WHITE HANGING HEART T-LIGHT HOLDER', views: 1502 },
      { product_id: 'X-ACC', product_name: ACCENTED_NAME, views: 1201 },
      { product_id: '22423', product_name: 'REGENCY CAKESTAND 3 TIER', views: 977 },
      { product_id: '21212', product_name: 'PACK OF 72 RETROSPOT CAKE CASES', views: 640 },
    ],
    generatedAt: new Date('2011-11-20T23:00:00Z'),
    ...overrides,
  };
}

export const ZERO_TOTALS: TotalsRow = { orders: 0, net_revenue: 0, average_order_value: null, customers: 0, return_rate: null, units: 0 };

export function emptyWeekInput(): SalesReportInput {
  return weekReportInput({
    period: { from: '2011-12-18', to: '2011-12-25' },
    totals: ZERO_TOTALS,
    mostSold: [], mostOrders: [], mostRevenue: [], bestDates: [], revenueByCountry: [], revenueByCategory: [], highAttention: [],
  });
}
